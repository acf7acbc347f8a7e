using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.CrisisCare.Bars;

/// <summary>A BaRS message this receiver has processed, kept by X-Request-ID so a retry is known and audited.</summary>
public sealed class BarsMessageRecord : ITableEntity
{
    public const string Row = "message";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string CorrelationId { get; set; } = "";
    public string CaseId { get; set; } = "";
    public string Action { get; set; } = "";
    public string SourceEndpoint { get; set; } = "";
    public DateTimeOffset ProcessedAt { get; set; }
}

/// <summary>The BarsMessages table: PartitionKey = X-Request-ID. Written only after a message is processed.</summary>
public sealed class BarsMessageLog(TableStore store)
{
    private TableClient Table => store.Table(TableNames.BarsMessages);

    public async Task<BarsMessageRecord?> FindAsync(Guid requestId, CancellationToken ct = default)
    {
        var r = await Table.GetEntityIfExistsAsync<BarsMessageRecord>(Key(requestId), BarsMessageRecord.Row, cancellationToken: ct);
        return r.HasValue ? r.Value : null;
    }

    public async Task RecordAsync(Guid requestId, Guid correlationId, string caseId, BarsAction action, string sourceEndpoint,
        DateTimeOffset at, CancellationToken ct = default)
    {
        var record = new BarsMessageRecord
        {
            PartitionKey = Key(requestId), CorrelationId = correlationId.ToString("D"), CaseId = caseId,
            Action = action.ToString().ToLowerInvariant(), SourceEndpoint = sourceEndpoint, ProcessedAt = at,
        };
        // Two deliveries processed at once both end here: the first record stands.
        try { await Table.AddEntityAsync(record, ct); }
        catch (RequestFailedException e) when (e.IsConflict()) { }
    }

    private static string Key(Guid requestId) => requestId.ToString("D");
}
