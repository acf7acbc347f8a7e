using Microsoft.DurableTask.Client;
using Workflows.Operations;

namespace Workflows.Tests.Operations;

/// <summary>
/// The history purge on the real engine (Azure Storage over Azurite): finished histories older than the retention go,
/// counted from when they finished; running ones and the app's own case rows stay.
/// </summary>
public sealed class OrchestrationHistoryPurgeTests : IAsyncLifetime
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(15);
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["Operations:HistoryRetentionDays"] = Retention.TotalDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    private async Task CloseAsync(string caseId)
    {
        var r = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/close", "coordinator", new { reason = "admitted", notes = "Admitted" });
        r.EnsureSuccessStatusCode();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        (await Client.WaitForInstanceCompletionAsync(caseId, wait.Token)).RuntimeStatus.Should().Be(OrchestrationRuntimeStatus.Completed);
    }

    [Fact]
    public async Task FinishedHistoriesOlderThanTheRetentionArePurgedAndTheCaseKeepsItsAudit()
    {
        var finishedEarly = await _host.OpenCaseAsync();
        var finishedLate = await _host.OpenCaseAsync();
        var running = await _host.OpenCaseAsync();
        await CloseAsync(finishedEarly);
        await Task.Delay(Retention + TimeSpan.FromSeconds(1));
        // Started before the cutoff but finished after it: its retention has not run out yet.
        await CloseAsync(finishedLate);

        var purge = _host.Services.GetRequiredService<OrchestrationHistoryPurge>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await Client.GetInstanceAsync(finishedEarly) is not null && DateTime.UtcNow < deadline)
            await purge.PurgeAsync(Client);

        (await Client.GetInstanceAsync(finishedEarly)).Should().BeNull("its history is older than the retention");
        (await Client.GetInstanceAsync(finishedLate)).Should().NotBeNull("it finished within the retention");
        (await Client.GetInstanceAsync(running))!.RuntimeStatus.Should().NotBe(OrchestrationRuntimeStatus.Completed);
        // The case row and its timeline are the app's own audit, never purged.
        var c = await _host.GetJsonAsStaffAsync($"/api/cases/{finishedEarly}", "coordinator");
        c["status"]!.GetValue<string>().Should().Be("closed");
        c["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).Should().Contain(["case-opened", "closed"]);
    }
}
