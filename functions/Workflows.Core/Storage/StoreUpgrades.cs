using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workflows.Storage;

/// <summary>
/// A one-off step that brings rows an earlier version wrote up to what this code reads (an index built for records that
/// existed before it), registered by the store that owns the rows. Idempotent: run again, it writes the same rows.
/// <see cref="Name"/> is recorded once it has run: never rename or reuse one.
/// </summary>
public sealed record StoreUpgrade(string Name, Func<CancellationToken, Task<int>> RunAsync);

/// <summary>
/// On every start of either host, in the background: runs each <see cref="StoreUpgrade"/> not yet recorded in the
/// StoreUpgrades table, then records it (when, how many rows). One interrupted (a restart, a failure) runs again from
/// its start on the next; two instances running one at once write the same rows (docs/deploy.md, "Store upgrades").
/// </summary>
public sealed class StoreUpgrades(TableStore store, IEnumerable<StoreUpgrade> upgrades, TimeProvider time, ILogger<StoreUpgrades> log)
    : BackgroundService
{
    private const string Partition = "upgrade";

    private TableClient Table => store.Table(TableNames.StoreUpgrades);

    /// <summary>Runs the upgrades not yet done, in the order registered; the names of those it ran.</summary>
    public async Task<IReadOnlyList<string>> RunPendingAsync(CancellationToken ct = default)
    {
        await store.EnsureTablesAsync(ct);
        var ran = new List<string>();
        foreach (var upgrade in upgrades)
        {
            if ((await Table.GetEntityIfExistsAsync<TableEntity>(Partition, upgrade.Name, cancellationToken: ct)).HasValue) continue;
            var started = time.GetUtcNow();
            var rows = await upgrade.RunAsync(ct);
            await Table.UpsertEntityAsync(new TableEntity(Partition, upgrade.Name)
            {
                ["StartedAt"] = started, ["FinishedAt"] = time.GetUtcNow(), ["Rows"] = rows,
            }, TableUpdateMode.Replace, ct);
            log.LogInformation("Store upgrade {Upgrade} done: {Rows} rows written", upgrade.Name, rows);
            ran.Add(upgrade.Name);
        }
        return ran;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await RunPendingAsync(stoppingToken); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "A store upgrade failed; it runs again from its start on the next start");
        }
    }
}
