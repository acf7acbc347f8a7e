using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.CrisisCare;

/// <summary>
/// The Cases table, and the one owner of a crisis case's row: every read goes through here (an id is checked before it
/// reaches a key) and every change through <see cref="ChangeAsync"/>, which reads, changes and replaces the row on its
/// ETag, again when another writer got there first, so no writer's change is lost (a triage racing an escalation, an
/// HCA's offer racing a BaRS update).
/// </summary>
public sealed partial class CaseStore(TableStore store)
{
    [GeneratedRegex("^case-[0-9a-f]{20}$")]
    private static partial Regex CaseIdPattern();

    /// <summary>A case row has a handful of writers: more lost races than this in a row is a fault, not contention.</summary>
    private const int MaxAttempts = 10;

    private TableClient Table => store.Table(TableNames.Cases);

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
        try
        {
            await Table.AddEntityAsync(record, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict()) { return false; }
    }

    /// <summary>Removes a case whose intake could not be completed, so the caller's retry makes it.</summary>
    public async Task RemoveAsync(string caseId, CancellationToken ct = default) =>
        await Table.DeleteEntityAsync(caseId, CaseRecord.Row, cancellationToken: ct);

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
            if (!change(c)) return c;
            try
            {
                var response = await Table.UpdateEntityAsync(c, c.ETag, TableUpdateMode.Replace, ct);
                c.ETag = response.Headers.ETag ?? c.ETag;
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
        Table.QueryAsync<CaseRecord>(x => x.Status == CaseStatus.AwaitingTriage || x.Status == CaseStatus.NeedsAttention, cancellationToken: ct);

    /// <summary>An ECSS team's bridged cases.</summary>
    public IAsyncEnumerable<CaseRecord> BridgedAsync(string team, CancellationToken ct = default) =>
        Table.QueryAsync<CaseRecord>(TableClient.CreateQueryFilter($"EcssTeam eq {team} and Status eq {CaseStatus.Bridging}"), cancellationToken: ct);

    /// <summary>Cases in any of <paramref name="statuses"/> (the open cases after triage).</summary>
    public IAsyncEnumerable<CaseRecord> InStatusAsync(IEnumerable<string> statuses, CancellationToken ct = default) =>
        Table.QueryAsync<CaseRecord>(
            $"RowKey eq '{CaseRecord.Row}' and ({string.Join(" or ", statuses.Distinct().Select(s => TableClient.CreateQueryFilter($"Status eq {s}")))})",
            cancellationToken: ct);

    /// <summary>An HCA's cases: those bridged with them, and those closed since <paramref name="closedSince"/> while they were its HCA.</summary>
    public IAsyncEnumerable<CaseRecord> WithHcaAsync(string hcaId, DateTimeOffset closedSince, CancellationToken ct = default) =>
        Table.QueryAsync<CaseRecord>(TableClient.CreateQueryFilter(
            $"AssignedHca eq {hcaId} and (Status eq {CaseStatus.Bridging} or (Status eq {CaseStatus.Closed} and ClosedAt ge {closedSince}))"), cancellationToken: ct);

    /// <summary>Cases whose 111 call was received in [<paramref name="start"/>, <paramref name="end"/>) (the pilot report).</summary>
    public IAsyncEnumerable<CaseRecord> ReceivedAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken ct = default) =>
        Table.QueryAsync<CaseRecord>(x => x.RowKey == CaseRecord.Row && x.ReceivedAt >= start && x.ReceivedAt < end, cancellationToken: ct);

    private static InvalidOperationException NoRow(string caseId) => new($"Case {caseId} has no row.");
}
