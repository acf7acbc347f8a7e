using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Workflows.Reporting;
using Workflows.Storage;

namespace Workflows.CrisisCare;

/// <summary>
/// The Cases table, and the one owner of a crisis case's row: every read goes through here (an id is checked before it
/// reaches a key) and every change through <see cref="ChangeAsync"/>, which reads, changes and replaces the row on its
/// ETag, again when another writer got there first, so no writer's change is lost (a triage racing an escalation, an
/// HCA's offer racing a BaRS update).
/// Two indices in the same table answer the staff lists by key, so they cost no more after a year than on the first day:
/// the "open" partition names every case not closed (the triage queue, the open cases, the bridges), and a "closed-"
/// partition per day the cases closed that day (an HCA's recently closed cases). A case's row and an index row cannot
/// share a transaction, so they are written in an order that leaves the index naming too many, never too few
/// (<see cref="OpenIndex"/>; a closed-day row before the case closes). The case's facts for the pilot report
/// (<see cref="ReportFacts"/>) are written after its row, and again by every change, even one that finds nothing to change:
/// a step re-run after a crash between the two writes rewrites them.
/// </summary>
public sealed partial class CaseStore(TableStore store)
{
    [GeneratedRegex("^case-[0-9a-f]{20}$")]
    private static partial Regex CaseIdPattern();

    /// <summary>A case row has a handful of writers: more lost races than this in a row is a fault, not contention.</summary>
    private const int MaxAttempts = 10;

    /// <summary>The one-off step that indexed the cases written before the indices (<see cref="IndexAsync"/>).</summary>
    public const string IndexUpgrade = "cases-open-closed";
    private TableClient Table => store.Table(TableNames.Cases);
    private OpenIndex Open => new(() => Table);
    private ReportFacts Facts => new(store);

    public static bool IsCaseId(string caseId) => CaseIdPattern().IsMatch(caseId);

    /// <summary>The case, or null when there is none (or the id cannot be one).</summary>
    public async Task<CaseRecord?> FindAsync(string caseId, CancellationToken ct = default)
    {
        if (!IsCaseId(caseId)) return null;
        var r = await Table.GetEntityIfExistsAsync<CaseRecord>(caseId, CaseRecord.Row, cancellationToken: ct);
        return r.HasValue ? r.Value : null;
    }

    /// <summary>The case a step works on: it exists, or the step fails.</summary>
    public async Task<CaseRecord> GetAsync(string caseId, CancellationToken ct = default) =>
        await FindAsync(caseId, ct) ?? throw NoRow(caseId);

    /// <summary>Inserts a new case; false when its row exists already (the same call delivered again).</summary>
    public async Task<bool> TryAddAsync(CaseRecord record, CancellationToken ct = default)
    {
        if (IsOpen(record.Status)) await Open.AddAsync(record.CaseId, ct);
        try
        {
            await Table.AddEntityAsync(record, ct);
            await Facts.CaseAsync(record, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            // Delivered again, perhaps after a crash between the row and its facts.
            if (await FindAsync(record.CaseId, ct) is { } stored) await Facts.CaseAsync(stored, ct);
            return false;
        }
    }

    /// <summary>Removes a case whose intake could not be completed, so the caller's retry makes it.</summary>
    public async Task RemoveAsync(string caseId, CancellationToken ct = default)
    {
        if (await FindAsync(caseId, ct) is { } c) await Facts.RemoveCaseAsync(c, ct);
        await Table.DeleteEntityAsync(caseId, CaseRecord.Row, cancellationToken: ct);
        await Open.RemoveAsync(caseId, ct);
    }

    /// <summary>
    /// Changes the case on its latest version: <paramref name="change"/> is given the row as read and returns false when
    /// there is nothing to write; when another writer changed the row in between, it is read and given again. Returns
    /// the row as it stands afterwards; null when there is no such case.
    /// </summary>
    public async Task<CaseRecord?> ChangeAsync(string caseId, Func<CaseRecord, bool> change, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await FindAsync(caseId, ct) is not { } c) return null;
            var wasOpen = IsOpen(c.Status);
            if (!change(c))
            {
                await Facts.CaseAsync(c, ct);
                return c;
            }
            var isOpen = IsOpen(c.Status);
            if (isOpen && !wasOpen) await Open.AddAsync(caseId, ct);
            if (wasOpen && !isOpen && c.ClosedAt is { } closedAt) await IndexClosedAsync(caseId, closedAt, ct);
            try
            {
                var response = await Table.UpdateEntityAsync(c, c.ETag, TableUpdateMode.Replace, ct);
                c.ETag = response.Headers.ETag ?? c.ETag;
                if (wasOpen && !isOpen) await Open.RemoveAsync(caseId, ct);
                await Facts.CaseAsync(c, ct);
                return c;
            }
            catch (RequestFailedException e) when (e.IsPreconditionFailed() && attempt < MaxAttempts) { }
        }
    }

    /// <summary><see cref="ChangeAsync"/> for a step of the case: the case exists, and the change is always written.</summary>
    public async Task<CaseRecord> UpdateAsync(string caseId, Action<CaseRecord> change, CancellationToken ct = default) =>
        await ChangeAsync(caseId, c => { change(c); return true; }, ct) ?? throw NoRow(caseId);

    /// <summary>Cases a person must act on: waiting for triage, or parked (the triage queue).</summary>
    public IAsyncEnumerable<CaseRecord> AwaitingStaffAsync(CancellationToken ct = default) =>
        OpenAsync(ct).Where(c => c.Status is CaseStatus.AwaitingTriage or CaseStatus.NeedsAttention);

    /// <summary>An ECSS team's bridged cases.</summary>
    public IAsyncEnumerable<CaseRecord> BridgedAsync(string team, CancellationToken ct = default) =>
        OpenAsync(ct).Where(c => c.EcssTeam == team && c.Status == CaseStatus.Bridging);

    /// <summary>Open cases in any of <paramref name="statuses"/> (the open cases after triage; never a closed one).</summary>
    public IAsyncEnumerable<CaseRecord> InStatusAsync(IEnumerable<string> statuses, CancellationToken ct = default)
    {
        var asked = statuses.ToHashSet();
        return OpenAsync(ct).Where(c => asked.Contains(c.Status));
    }

    /// <summary>
    /// An HCA's cases: those bridged with them, and those closed in [<paramref name="closedSince"/>, <paramref name="now"/>]
    /// while they were its HCA.
    /// </summary>
    public async IAsyncEnumerable<CaseRecord> WithHcaAsync(string hcaId, DateTimeOffset closedSince, DateTimeOffset now,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var c in OpenAsync(ct))
            if (c.AssignedHca == hcaId && c.Status == CaseStatus.Bridging) yield return c;
        for (var day = DateOnly.FromDateTime(closedSince.UtcDateTime); day <= DateOnly.FromDateTime(now.UtcDateTime); day = day.AddDays(1))
        {
            var ids = new List<string>();
            await foreach (var e in Table.QueryAsync<TableEntity>(x => x.PartitionKey == ClosedPartition(day), select: ["RowKey"], cancellationToken: ct))
                ids.Add(e.RowKey);
            foreach (var c in await Task.WhenAll(ids.Select(id => FindAsync(id, ct))))
                if (c is { Status: CaseStatus.Closed } && c.AssignedHca == hcaId && c.ClosedAt >= closedSince) yield return c;
        }
    }

    /// <summary>Every case not closed, each read from its own row.</summary>
    private IAsyncEnumerable<CaseRecord> OpenAsync(CancellationToken ct) => Open.ReadAsync(FindAsync, c => IsOpen(c.Status), ct);

    /// <summary>
    /// The one-off step (<see cref="IndexUpgrade"/>) for cases written before the indices: reads every case once and
    /// writes its open or closed index row, a partition's rows in batches of up to 100. Idempotent. The rows written.
    /// </summary>
    public async Task<int> IndexAsync(CancellationToken ct = default)
    {
        var byPartition = new Dictionary<string, List<string>>();
        await foreach (var c in Table.QueryAsync<TableEntity>(x => x.RowKey == CaseRecord.Row, select: ["PartitionKey", "Status", "ClosedAt"], cancellationToken: ct))
        {
            var partition = IsOpen(c.GetString("Status")) ? OpenIndex.Partition
                : c.GetDateTimeOffset("ClosedAt") is { } closedAt ? ClosedPartition(DateOnly.FromDateTime(closedAt.UtcDateTime)) : null;
            if (partition is null) continue;
            if (!byPartition.TryGetValue(partition, out var ids)) byPartition[partition] = ids = [];
            ids.Add(c.PartitionKey);
        }
        return await Open.UpsertAllAsync(byPartition, ct);
    }

    private static bool IsOpen(string? status) => status != CaseStatus.Closed;

    private static string ClosedPartition(DateOnly day) => $"closed-{day:yyyy-MM-dd}";

    private Task IndexClosedAsync(string caseId, DateTimeOffset closedAt, CancellationToken ct) =>
        Table.UpsertEntityAsync(new TableEntity(ClosedPartition(DateOnly.FromDateTime(closedAt.UtcDateTime)), caseId), TableUpdateMode.Replace, ct);

    private static InvalidOperationException NoRow(string caseId) => new($"Case {caseId} has no row.");
}
