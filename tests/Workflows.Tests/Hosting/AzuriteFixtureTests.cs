using System.Diagnostics;
using Azure.Data.Tables;

namespace Workflows.Tests.Hosting;

/// <summary>
/// The tests' own Azurite: stopping it ends its processes and keeps what it stored. A stop that never returned hung the
/// whole run once (the preload's standard input kept Azurite's event loop alive after SIGINT).
/// </summary>
public sealed class AzuriteFixtureTests
{
    [Fact]
    public async Task StopEndsEveryProcessAndARestartOnTheSameFolderFindsWhatWasStored()
    {
        var first = await Azurite.StartAsync(blob: false);
        await new TableServiceClient(first.ConnectionString).GetTableClient("kept").CreateIfNotExistsAsync();
        var ids = first.ProcessIds;

        // Bounded so that a stop that never ends fails this test instead of the whole run.
        await first.StopAsync().WaitAsync(TimeSpan.FromMinutes(1));
        ids.Should().OnlyContain(id => HasEnded(id), "SIGINT must end every Azurite service, not only close its server");

        await using var second = await Azurite.StartAsync(first.Location, blob: false);
        var tables = new List<string>();
        await foreach (var t in new TableServiceClient(second.ConnectionString).QueryAsync()) tables.Add(t.Name);
        tables.Should().Contain("kept");
    }

    private static bool HasEnded(int id)
    {
        try { return Process.GetProcessById(id).HasExited; }
        catch (ArgumentException) { return true; }
    }
}
