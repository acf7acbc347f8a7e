using System.Net;
using Azure.Data.Tables;
using Workflows.Tests.DistrictDirect;
using static Workflows.Tests.DistrictDirect.Referrals;

namespace Workflows.Tests.Safety;

/// <summary>
/// H18: a decision posted the moment after the call or referral that made its orchestration. The Azure Storage engine
/// can take the start message before its instance row is written, put it back, and meanwhile discard an event for the
/// instance ("No such instance"); the fund benchmark lost 6 assessments of 50 that way. The routes wait for the start
/// (OrchestrationEvents), so every decision is heard. Many in a row, with the table store kept busy so that the instance
/// row is written late and the gap opens often: without the wait these tests fail (see the hazard log).
/// </summary>
public sealed class EventBeforeStartTests : IAsyncLifetime
{
    private const int Many = 30;
    private TestHost _host = null!;
    private readonly CancellationTokenSource _stop = new();
    private Task _pressure = Task.CompletedTask;
    private Azurite _azurite = null!;

    // Polling the control queues every few milliseconds makes the engine take a start before its row far more often.
    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["LocalHost:MaxPollingMilliseconds"] = "2" }, _azurite);
        var table = new TableServiceClient(_azurite.ConnectionString).GetTableClient("Cases");
        _pressure = Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
                await table.GetEntityIfExistsAsync<TableEntity>("nobody", "nothing", cancellationToken: CancellationToken.None);
        })));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pressure;
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task ReferralsAssessedTheMomentTheyAreSubmittedAllHearTheirAssessment()
    {
        var ids = new List<string>();
        for (var i = 0; i < Many; i++)
        {
            var id = await _host.ReferAsync(Body());
            await _host.AssessAsync(id, ("Deep clean of kitchen", 10_000, "Derby Clean Co"));
            ids.Add(id);
        }
        foreach (var id in ids)
            await _host.WaitForReferralAsync(id, r => Has(r, "approval-requested"), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task CasesTriagedTheMomentTheCallArrivesAllHearTheirTriage()
    {
        var ids = new List<string>();
        for (var i = 0; i < Many; i++)
        {
            var id = await _host.OpenCaseAsync();
            var triage = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{id}/triage", "anp",
                new { outcome = "advice", notes = "Advice given by phone." });
            triage.StatusCode.Should().Be(HttpStatusCode.Accepted, await triage.Content.ReadAsStringAsync());
            ids.Add(id);
        }
        foreach (var id in ids)
            await _host.WaitForCaseAsync(id, c => c["status"]!.GetValue<string>() == "closed", TimeSpan.FromSeconds(60));
    }
}
