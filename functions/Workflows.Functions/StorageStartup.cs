using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Workflows.CrisisCare;
using Workflows.Staff;
using Workflows.Storage;

namespace Workflows.Functions;

/// <summary>
/// Creates the app's tables and case-starts queue, loads seeds/ (when Seeds__Path is set) and makes the first admin
/// (when Staff__FirstAdminObjectId is set and there is none) as the worker starts.
/// </summary>
public sealed class StorageStartup(TableStore store, CaseStartQueue caseStarts, FirstAdmin firstAdmin, IServiceProvider services, IConfiguration config) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await store.EnsureTablesAsync(ct);
        await caseStarts.EnsureCreatedAsync(ct);
        if (config["Seeds:Path"] is { Length: > 0 } path)
            await SeedData.LoadAsync(services, Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path), ct);
        await firstAdmin.EnsureAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
