using Microsoft.Extensions.Hosting;
using Workflows.CrisisCare;
using Workflows.Staff;
using Workflows.Storage;

namespace Workflows.Functions;

/// <summary>
/// Creates the app's tables and case-starts queue and makes the first admin (when Staff__FirstAdminObjectId is set and
/// there is none) as the worker starts. A deployment's reference data comes from its admins (and a one-off import,
/// docs/deploy.md), never from files loaded at start.
/// </summary>
public sealed class StorageStartup(TableStore store, CaseStartQueue caseStarts, FirstAdmin firstAdmin) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await store.EnsureTablesAsync(ct);
        await caseStarts.EnsureCreatedAsync(ct);
        await firstAdmin.EnsureAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
