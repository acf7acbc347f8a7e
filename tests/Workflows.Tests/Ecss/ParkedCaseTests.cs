using System.Net;
using System.Text.RegularExpressions;
using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;
using Workflows.Ecss;
using Workflows.Tests.Messaging;
using static Workflows.Tests.Ecss.EcssHost;

namespace Workflows.Tests.Ecss;

/// <summary>
/// An ECSS case whose step keeps failing (the SMS provider down for a while) is parked: it lets go of what it holds (the
/// HCA's claim, an open offer and its reply code) and waits for a person, who resumes it where it was or closes it.
/// Before, it completed holding the HCA (never offered a case again), with its reply code open, and could not be
/// resumed; closed, it released nothing and sent no bereavement signposting (H25).
/// </summary>
public sealed partial class ParkedCaseTests : IAsyncLifetime
{
    private const string Family = "+447700900789";
    private FakeAcs _acs = null!;

    public async Task InitializeAsync() => _acs = await FakeAcs.StartAsync();

    public async Task DisposeAsync() => await _acs.DisposeAsync();

    [GeneratedRegex(@"Reply YES (\w+)")]
    private static partial Regex OfferCode();

    private Task<EcssHost> HostAsync(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sms:ConnectionString"] = _acs.ConnectionString,
            ["Sms:FromNumber"] = "+447700900000",
            ["Sms:SendRetries"] = "1",
            ["Sms:SendRetryBaseDelaySeconds"] = "0.05",
            ["CrisisCare:StepAttempts"] = "2",
            ["CrisisCare:StepFirstRetrySeconds"] = "1",
            ["Ecss:SignpostingDelayMinutes"] = "0.02",
        };
        foreach (var (k, v) in more) settings[k] = v;
        return EcssHost.StartAsync(settings);
    }

    /// <summary>The code of the latest offer texted to the HCA (sent or not: a text the provider refused still names it).</summary>
    private async Task<string> OfferCodeAsync(string caseId, string hcaId)
    {
        for (var i = 0; i < 300; i++)
        {
            if (_acs.Attempts.LastOrDefault(a => a.Tag == caseId && a.To == Phones[hcaId] && OfferCode().IsMatch(a.Message)) is { } offer)
                return OfferCode().Match(offer.Message).Groups[1].Value;
            await Task.Delay(200);
        }
        throw new TimeoutException($"{hcaId} was not offered {caseId}");
    }

    private static async Task<OrchestrationRuntimeStatus?> RuntimeStatusAsync(EcssHost ecss, string caseId) =>
        (await ecss.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(caseId))?.RuntimeStatus;

    [Fact]
    public async Task ParkedCaseReleasesItsHcaAndCarriesOnWithThemWhenAPersonResumesIt()
    {
        // The check-in clock runs out 11 s after the HCA accepts: its escalation texts the coordinator while the provider is down.
        await using var ecss = await HostAsync(("Ecss:CheckInHours", "0.003"));
        var caseId = await ecss.ReferToEcssAsync();
        await ecss.ReplyAsync("hca-01", $"YES {await OfferCodeAsync(caseId, "hca-01")}");
        await ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging");
        (await ecss.Services.GetRequiredService<HcaClaims>().AttendingAsync(ecss.Team)).Should().ContainKey("hca-01");
        _acs.Down = true;

        var parked = await ecss.WaitForCaseAsync(caseId, c => Has(c, "needs-attention"), seconds: 120);

        Status(parked).Should().Be("needs-attention");
        parked["needsAttention"]!["reason"]!.GetValue<string>().Should().Contain(EcssActivities.EscalateCheckIn);
        (await ecss.Services.GetRequiredService<HcaClaims>().AttendingAsync(ecss.Team)).Should().NotContainKey("hca-01",
            "a parked case lets its HCA go, to be offered other cases");
        Kinds(parked).Should().Contain("holds-released");
        (await RuntimeStatusAsync(ecss, caseId)).Should().Be(OrchestrationRuntimeStatus.Running, "the case waits for a person");
        (await ecss.RecordVisitAsync(caseId, "hca-01", DateTimeOffset.UtcNow.AddHours(-1), ["personal-care"]))
            .StatusCode.Should().Be(HttpStatusCode.Conflict, "a parked case is with staff, not the HCA");

        _acs.Down = false;
        var resume = await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/resume", "coordinator",
            new { notes = "SMS back; phoned the HCA, who is still visiting" });
        resume.StatusCode.Should().Be(HttpStatusCode.Accepted, await resume.Content.ReadAsStringAsync());
        var resumed = await ecss.WaitForCaseAsync(caseId, c => Has(c, "resumed") && Status(c) == "bridging");
        resumed["needsAttention"].Should().BeNull();
        AssignedHca(resumed).Should().Be("hca-01", "a bridged case carries on with its HCA");

        (await ecss.RecordVisitAsync(caseId, "hca-01", DateTimeOffset.UtcNow.AddHours(-1), ["personal-care"])).StatusCode.Should().Be(HttpStatusCode.Created);
        await ecss.WaitForCaseAsync(caseId, c => Has(c, "visit"));
        (await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/resume", "coordinator", new { notes = "again" }))
            .StatusCode.Should().Be(HttpStatusCode.Conflict, "only a parked case is resumed");
        await Replay.RecordedHistories.SaveAsync(ecss.Host, caseId, "crisis-case-ecss-resumed-after-parking-in-flight");
    }

    [Fact]
    public async Task ParkedCaseWithdrawsItsOpenOfferAndClosedAsDiedSignpostsBereavementSupport()
    {
        // Down from the start: the first offer cannot be texted, so the dispatch round fails and the case parks with the offer open.
        _acs.Down = true;
        await using var ecss = await HostAsync();
        var caseId = await ecss.ReferToEcssAsync();
        var code = await OfferCodeAsync(caseId, "hca-01");

        var parked = await ecss.WaitForCaseAsync(caseId, c => Has(c, "needs-attention"), seconds: 120);

        parked["ecss"]!["dispatch"]!["offers"]!.AsArray().Should().OnlyContain(o => o!["outcome"]!.GetValue<string>() == "withdrawn");
        _acs.Down = false;
        await ecss.ReplyAsync("hca-01", $"YES {code}");
        for (var i = 0; i < 150 && !_acs.Attempts.Any(a => a.To == Phones["hca-01"] && a.Message.Contains("has been covered")); i++) await Task.Delay(200);
        _acs.Attempts.Should().Contain(a => a.To == Phones["hca-01"] && a.Message.Contains("has been covered"), "a late YES gets the polite moved-on text");
        (await ecss.Services.GetRequiredService<HcaClaims>().AttendingAsync(ecss.Team)).Should().BeEmpty("a YES to a withdrawn offer claims nobody");

        var close = await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", new { reason = "died", notes = "Died at home" });
        close.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var closed = await ecss.WaitForCaseAsync(caseId, c => Has(c, "bereavement-signposting"));
        Status(closed).Should().Be("closed");
        _acs.Attempts.Should().Contain(a => a.To == Family && a.Message.Contains("sorry for your loss"));
    }
}

/// <summary>
/// A case whose orchestration has ended while it held an HCA (parked before parked cases waited, or failed; here its
/// orchestration is terminated) was closed by running the close step alone: the HCA stayed claimed and a death got no
/// bereavement signposting. It is closed by a closing orchestration of its own, as any case (H29).
/// </summary>
public sealed class EndedCaseClosureTests
{
    [Fact]
    public async Task CaseWhoseOrchestrationEndedIsClosedWithItsHcaReleasedAndTheFamilySignposted()
    {
        await using var ecss = await EcssHost.StartAsync(new Dictionary<string, string?> { ["Ecss:SignpostingDelayMinutes"] = "0.02" });
        var caseId = await ecss.ReferToEcssAsync();
        await ecss.ReplyAsync("hca-01", $"YES {await ecss.OfferCodeAsync(caseId, "hca-01")}");
        await ecss.WaitForCaseAsync(caseId, c => Status(c) == "bridging");
        var client = ecss.Services.GetRequiredService<DurableTaskClient>();
        await client.TerminateInstanceAsync(caseId, "as a case parked before this change had ended");
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            await client.WaitForInstanceCompletionAsync(caseId, wait.Token);

        var close = await ecss.Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", new { reason = "died", notes = "Died at home" });

        close.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var closed = await ecss.WaitForCaseAsync(caseId, c => Has(c, "bereavement-signposting"));
        Status(closed).Should().Be("closed");
        (await ecss.Services.GetRequiredService<HcaClaims>().AttendingAsync(ecss.Team)).Should().NotContainKey("hca-01");
        (await ecss.TextsAsync(caseId)).Should().Contain(t => t.To == "+447700900789" && t.Message.Contains("sorry for your loss"));
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            (await client.WaitForInstanceCompletionAsync(CaseClosureWorkflow.InstanceId(caseId), wait.Token)).RuntimeStatus
                .Should().Be(OrchestrationRuntimeStatus.Completed);
        await Replay.RecordedHistories.SaveAsync(ecss.Host, CaseClosureWorkflow.InstanceId(caseId), "case-closure-died-ecss");
    }
}
