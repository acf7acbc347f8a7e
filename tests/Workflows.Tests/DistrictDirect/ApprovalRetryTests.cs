using System.Text.RegularExpressions;
using Microsoft.DurableTask.Client;
using Workflows.DistrictDirect;
using Workflows.Messaging;
using Workflows.Tests.Messaging;
using static Workflows.Tests.DistrictDirect.Referrals;

namespace Workflows.Tests.DistrictDirect;

/// <summary>
/// An SMS approval whose step fails after the money is committed (ACS down for the officer's confirmation) is retried:
/// the retry commits nothing more and finishes what the failed try began (the referral's spend, the text, the timeline).
/// </summary>
public sealed class ApprovalRetryTests : IAsyncLifetime
{
    private FakeAcs _acs = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _acs = await FakeAcs.StartAsync();
        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:ConnectionString"] = _acs.ConnectionString,
            ["Sms:FromNumber"] = "+447700900000",
            ["Sms:SendRetries"] = "1",
            ["Sms:SendRetryBaseDelaySeconds"] = "0.05",
            ["DistrictDirect:StepAttempts"] = "3",
            ["DistrictDirect:StepFirstRetrySeconds"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _acs.DisposeAsync();
    }

    [Fact]
    public async Task RetriedSmsApprovalCommitsOnceAndFinishesTheDecision()
    {
        var id = await _host.ReferAsync();
        var spend = await _host.AssessAsync(id, ("Deep clean", 30_000, "Derby Clean Co"));
        var tag = ReferralRecord.InstanceIdFor(id);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Match code;
        while (!(code = _acs.Attempts.Where(a => a.Tag == tag && a.To == OfficerPhone).Select(a => Regex.Match(a.Message, @"APPROVE (\w+)"))
                   .FirstOrDefault(m => m.Success) ?? Match.Empty).Success && DateTime.UtcNow < deadline)
            await Task.Delay(150);
        code.Success.Should().BeTrue("the officer is texted an approval code");

        // Only the confirmation is sent after this: its first try fails (both sends of it), after the commit.
        _acs.Then(FakeAcs.Answer.ServerError, FakeAcs.Answer.ServerError);
        var outcome = await _host.Services.GetRequiredService<SmsInbox>().ReceiveAsync(
            new InboundSms($"Incoming_{Guid.NewGuid():N}", OfficerPhone, $"APPROVE {code.Groups[1].Value}", DateTimeOffset.UtcNow),
            _host.Services.GetRequiredService<DurableTaskClient>());
        outcome.Should().Be(InboundOutcome.Applied);

        var done = await _host.WaitForReferralAsync(id, r => Status(r) == "awaiting-discharge", TimeSpan.FromMinutes(1));
        var confirmations = _acs.Attempts.Where(a => a.Tag == tag && a.To == OfficerPhone && a.Message.Contains("is approved", StringComparison.Ordinal)).ToList();
        confirmations.Should().HaveCount(3, "the failed try sent it twice and the retry once");
        confirmations[^1].Status.Should().Be(System.Net.HttpStatusCode.Accepted);
        done["spendRequests"]![0]!["spendRequestId"]!.GetValue<string>().Should().Be(spend[0]);
        done["spendRequests"]![0]!["committedPence"]!.GetValue<long>().Should().Be(30_000, "committed once");
        done["spendPence"]!.GetValue<long>().Should().Be(30_000);
        done["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "spend-approved").Should().Be(1);
        Has(done, "needs-attention").Should().BeFalse();
    }
}
