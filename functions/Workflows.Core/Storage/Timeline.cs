using Workflows.Storage;
using Azure;
using Azure.Data.Tables;

namespace Workflows.Storage;

/// <summary>One step in a case's or a referral's story: who did what, when. <see cref="OwnerId"/> is the case or referral.</summary>
public sealed record TimelineEntry(string OwnerId, string EventId, DateTimeOffset At, string Kind, string Actor, string Summary);

/// <summary>
/// An append-only story table: PartitionKey = the case or referral id, RowKey = the step's id (no time in it, so a step
/// run again after a crash, at another time, finds its row). Read in the order things happened, by <c>At</c>.
/// </summary>
public abstract class Timeline(TableStore store, string table)
{
    /// <summary>
    /// Appends once: a step run again (replayed, or re-executed after a crash) writes the same key and is ignored, and
    /// <see cref="AppendedAsync"/> runs again either way.
    /// </summary>
    public async Task AppendAsync(TimelineEntry e, CancellationToken ct = default)
    {
        var entity = new TableEntity(e.OwnerId, e.EventId)
        {
            ["At"] = e.At, ["Kind"] = e.Kind, ["Actor"] = e.Actor, ["Summary"] = e.Summary,
        };
        try { await store.Table(table).AddEntityAsync(entity, ct); }
        catch (RequestFailedException x) when (x.IsConflict()) { }
        await AppendedAsync(e, ct);
    }

    /// <summary>What a story keeps beside its rows (the pilot report's facts), written after each append, idempotently.</summary>
    protected virtual Task AppendedAsync(TimelineEntry e, CancellationToken ct) => Task.CompletedTask;

    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(string ownerId, CancellationToken ct = default)
    {
        var list = new List<TimelineEntry>();
        await foreach (var e in store.Table(table).QueryAsync<TableEntity>(x => x.PartitionKey == ownerId, cancellationToken: ct))
            list.Add(new TimelineEntry(ownerId, e.RowKey, e.GetDateTimeOffset("At")!.Value, e.GetString("Kind"), e.GetString("Actor"), e.GetString("Summary")));
        // Ties (a step's row and its parts, e.g. "-family" or one per spend request) keep the order of their ids.
        return list.OrderBy(e => e.At).ThenBy(e => e.EventId, StringComparer.Ordinal).ToList();
    }
}
