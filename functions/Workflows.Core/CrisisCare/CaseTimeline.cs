using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.CrisisCare;

/// <summary>One step in a case's story: who did what, when.</summary>
public sealed record CaseEvent(string CaseId, string EventId, DateTimeOffset At, string Kind, string Actor, string Summary);

/// <summary>
/// The append-only CaseEvents table: PartitionKey = case id, RowKey = the step's id (no time in it, so a step
/// run again after a crash, at another time, finds its row). Read in the order things happened, by <c>At</c>.
/// </summary>
public sealed class CaseTimeline(TableStore store)
{
    /// <summary>Appends once: a step run again (replayed, or re-executed after a crash) writes the same key and is ignored.</summary>
    public async Task AppendAsync(CaseEvent e, CancellationToken ct = default)
    {
        var entity = new TableEntity(e.CaseId, e.EventId)
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
            list.Add(new CaseEvent(caseId, e.RowKey, e.GetDateTimeOffset("At")!.Value, e.GetString("Kind"), e.GetString("Actor"), e.GetString("Summary")));
        // Ties (a step's row and its "-family" part) keep the step's order.
        return list.OrderBy(e => e.At).ThenBy(e => e.EventId, StringComparer.Ordinal).ToList();
    }
}
