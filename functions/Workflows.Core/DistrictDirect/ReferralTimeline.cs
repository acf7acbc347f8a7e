using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.DistrictDirect;

/// <summary>One step in a referral's story: who did what, when.</summary>
public sealed record ReferralEvent(string ReferralId, string EventId, DateTimeOffset At, string Kind, string Actor, string Summary);

/// <summary>
/// The append-only DischargeReferralEvents table: PartitionKey = referral id, RowKey = the step's id (no time in it, so a step
/// run again after a crash, at another time, finds its row). Read in the order things happened, by <c>At</c>.
/// </summary>
public sealed class ReferralTimeline(TableStore store)
{
    /// <summary>Appends once: a step run again (replayed, or re-executed after a crash) writes the same key and is ignored.</summary>
    public async Task AppendAsync(ReferralEvent e, CancellationToken ct = default)
    {
        var entity = new TableEntity(e.ReferralId, e.EventId)
        {
            ["At"] = e.At, ["Kind"] = e.Kind, ["Actor"] = e.Actor, ["Summary"] = e.Summary,
        };
        try { await store.Table(TableNames.DischargeReferralEvents).AddEntityAsync(entity, ct); }
        catch (RequestFailedException x) when (x.IsConflict()) { }
    }

    public async Task<IReadOnlyList<ReferralEvent>> ReadAsync(string referralId, CancellationToken ct = default)
    {
        var list = new List<ReferralEvent>();
        await foreach (var e in store.Table(TableNames.DischargeReferralEvents).QueryAsync<TableEntity>(x => x.PartitionKey == referralId, cancellationToken: ct))
            list.Add(new ReferralEvent(referralId, e.RowKey, e.GetDateTimeOffset("At")!.Value, e.GetString("Kind"), e.GetString("Actor"), e.GetString("Summary")));
        // Ties (one step's rows, e.g. one per spend request) keep the order of their ids.
        return list.OrderBy(e => e.At).ThenBy(e => e.EventId, StringComparer.Ordinal).ToList();
    }
}
