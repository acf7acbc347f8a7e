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

/// <summary>
/// Where the SPOC's outcome of a BaRS referral goes (the asynchronous response, <see cref="BarsResponses"/>): kept per
/// case, from the referral that opened it.
/// </summary>
public sealed class BarsSenderRecord : ITableEntity
{
    public const string Row = "sender";

    /// <summary>The case id.</summary>
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>The referral's MessageHeader.source.endpoint.</summary>
    public string SourceEndpoint { get; set; } = "";
    /// <summary>This receiver's $process-message URL, as the referral reached it (our MessageHeader.source.endpoint).</summary>
    public string ReceiverEndpoint { get; set; } = "";
    public string CorrelationId { get; set; } = "";
    /// <summary>What identifies the referral message (MessageHeader.response.identifier of every answer to it).</summary>
    public string? RequestMessageId { get; set; }
    /// <summary>The sender's ServiceRequest identifiers, "system|value" one per line, given back with each response.</summary>
    public string SenderIdentifiers { get; set; } = "";
    public DateTimeOffset AuthoredOn { get; set; }
}

/// <summary>
/// The BarsMessages table: PartitionKey = X-Request-ID for each processed message (written only after it is processed),
/// and PartitionKey = case id for the referral's sender (<see cref="BarsSenderRecord"/>).
/// </summary>
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

    /// <summary>
    /// Keeps where a new referral's responses go, before its case is made, so no outcome of the case can come before it.
    /// The same referral sent again writes the same row.
    /// </summary>
    public Task RecordSenderAsync(BarsReferral referral, Guid correlationId, string receiverEndpoint, CancellationToken ct = default) =>
        Table.UpsertEntityAsync(new BarsSenderRecord
        {
            PartitionKey = CaseRecord.IdFor(referral.CallId), SourceEndpoint = referral.SourceEndpoint, ReceiverEndpoint = receiverEndpoint,
            CorrelationId = correlationId.ToString("D"), RequestMessageId = referral.MessageHeaderId,
            SenderIdentifiers = string.Join("\n", referral.ServiceRequestIdentifiers.Select(i => $"{i.System}|{i.Value}")),
            AuthoredOn = referral.Call!.ReceivedAt,
        }, TableUpdateMode.Replace, ct);

    /// <summary>The sender of the referral that opened a case; null for a case that did not come by BaRS.</summary>
    public async Task<BarsSenderRecord?> FindSenderAsync(string caseId, CancellationToken ct = default)
    {
        var r = await Table.GetEntityIfExistsAsync<BarsSenderRecord>(caseId, BarsSenderRecord.Row, cancellationToken: ct);
        return r.HasValue ? r.Value : null;
    }
}
