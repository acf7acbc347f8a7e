using Azure;
using Azure.Data.Tables;
using Azure.Identity;

namespace Workflows.Storage;

/// <summary>The app's tables (in the DataStorage account): one client per table, tables created once at start-up.</summary>
public sealed class TableStore
{
    private readonly TableServiceClient _service;

    public TableStore(TableServiceClient service) => _service = service;

    public static TableStore FromSettings(StorageSettings settings)
    {
        // A connection string locally (Azurite); in Azure a service URI reached with the managed identity.
        if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
            return new TableStore(new TableServiceClient(settings.ConnectionString));
        if (settings.TableServiceUri is { } uri)
            return new TableStore(new TableServiceClient(uri, settings.Credential()));
        throw new InvalidOperationException(
            "No storage configured: set DataStorage or AzureWebJobsStorage (a connection string), or its __tableServiceUri.");
    }

    public TableClient Table(string name) => _service.GetTableClient(name);

    public async Task EnsureTablesAsync(CancellationToken ct = default)
    {
        foreach (var name in TableNames.All)
            await _service.GetTableClient(name).CreateIfNotExistsAsync(ct);
    }
}

public sealed class StorageSettings
{
    public string? ConnectionString { get; set; }
    public Uri? TableServiceUri { get; set; }
    public Uri? QueueServiceUri { get; set; }
    public string? ManagedIdentityClientId { get; set; }

    public DefaultAzureCredential Credential() =>
        new(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ManagedIdentityClientId });
}

public static class TableErrors
{
    public static bool IsConflict(this RequestFailedException e) => e.Status == 409;
    public static bool IsPreconditionFailed(this RequestFailedException e) => e.Status == 412;
    public static bool IsNotFound(this RequestFailedException e) => e.Status == 404;
}
