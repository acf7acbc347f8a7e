using System.Net;
using Workflows.CrisisCare;

namespace Workflows.Tests.CrisisCare.Bars;

/// <summary>
/// A BaRS cancellation in a referral's first seconds, before its case's orchestration has started (here its first
/// start fails and is tried again 15 s later): it was answered 500, because the close waited 10 s for a start that had
/// not come and threw. Now it is accepted and the case closes once it starts (H28).
/// </summary>
public sealed class BarsCancellationTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["LocalHost:CaseStartRetrySeconds"] = "15",
    }, faults: true);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CancellationBeforeTheCaseHasStartedClosesItOnceItStarts()
    {
        var referralId = BarsMessages.NewReferralId();
        var caseId = CaseRecord.IdFor(referralId);
        _host.Faults.FailNextStart(caseId);

        var referred = await _host.PostAsync(BarsMessages.New(referralId));
        var cancelled = await _host.PostAsync(BarsMessages.Cancel(referralId));

        ((int)referred.StatusCode).Should().Be(200, await referred.Content.ReadAsStringAsync());
        ((int)cancelled.StatusCode).Should().Be(200, await cancelled.Content.ReadAsStringAsync());
        // The close step writes the row's status, then its timeline row: wait for both.
        var closed = await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == CaseStatus.Closed
            && c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "closed"), TimeSpan.FromSeconds(60));
        // Counted once the case has closed: the first start is tried in the background, under load after the cancellation's answer.
        _host.Faults.Thrown.Should().Be(1, "the case's first start failed, so it had not started when the cancellation came");
        closed["closed"]!["reason"]!.GetValue<string>().Should().Be("cancelled");
        closed["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).Should().ContainInOrder("referral-cancelled", "closed");
        (await _host.PostAsync(BarsMessages.Cancel(referralId))).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }
}
