using Microsoft.Extensions.DependencyInjection;

namespace Workflows;

/// <summary>Loads one part of the sample data in seeds/ (directory, roster, fund...). Must be safe to run on every start.</summary>
public interface ISeedLoader
{
    Task LoadAsync(string seedsPath, CancellationToken ct);
}

public static class SeedData
{
    public static async Task LoadAsync(IServiceProvider services, string seedsPath, CancellationToken ct = default)
    {
        if (!Directory.Exists(seedsPath)) return;
        foreach (var loader in services.GetServices<ISeedLoader>())
            await loader.LoadAsync(seedsPath, ct);
    }
}
