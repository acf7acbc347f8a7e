using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.CrisisCare;

/// <summary>One step in a case's story: who did what, when.</summary>
public sealed record CaseEvent(string CaseId, string EventId, DateTimeOffset At, string Kind, string Actor, string Summary);

/// <summary>The append-only CaseEvents table: PartitionKey = case id, RowKey orders events by time.</summary>
public sealed class CaseTimeline(TableStore store)
{
    /// <summary>Appends once: a replayed activity writes the same key and is ignored.</summary>
    public async Task AppendAsync(CaseEvent e, CancellationToken ct = default)
    {
        var entity = new TableEntity(e.CaseId, $"{e.At.UtcTicks:D19}-{e.EventId}")
        {
            ["At"] = e.At, ["Kind"] = e.Kind, ["Actor"] = e.Actor, ["Summary"] = e.Summary,
        };
        try { await store.Table(TableNames.CaseEvents).AddEntityAsync(entity, ct); }
        catch (RequestFailedException x) when (x.IsConflict()) { }
    }

    public async Task<IReadOnlyList<CaseEvent>> ReadAsync(string caseId, CancellationToken ct = default)
    {
        var list = new List<CaseEvent>();
        await foreach (var e in store.Table(TableNames.CaseEvents).QueryAsync<TableEntity>(x => x.PartitionKey == caseId, cancellationToken: ct))
            list.Add(new CaseEvent(caseId, e.RowKey[20..], e.GetDateTimeOffset("At")!.Value, e.GetString("Kind"), e.GetString("Actor"), e.GetString("Summary")));
        return list;
    }
}
