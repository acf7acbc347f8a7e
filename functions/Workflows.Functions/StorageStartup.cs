using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Workflows.CrisisCare;
using Workflows.Storage;

namespace Workflows.Functions;

/// <summary>Creates the app's tables and case-starts queue, and loads seeds/ (when Seeds__Path is set) as the worker starts.</summary>
public sealed class StorageStartup(TableStore store, CaseStartQueue caseStarts, IServiceProvider services, IConfiguration config) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await store.EnsureTablesAsync(ct);
        await caseStarts.EnsureCreatedAsync(ct);
        if (config["Seeds:Path"] is { Length: > 0 } path)
            await SeedData.LoadAsync(services, Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path), ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
