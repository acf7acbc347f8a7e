using Azure;
using Azure.Data.Tables;
using Workflows.Reporting;
using Workflows.Storage;

namespace Workflows.DistrictDirect;

/// <summary>
/// The DischargeReferrals table: one row per referral, and the "open" partition naming every referral not yet discharged
/// or withdrawn (<see cref="OpenIndex"/>), so the work lists read those by key however many referrals the service has closed.
/// Its facts for the pilot report (<see cref="ReportFacts"/>) are written after its row, and again when it is delivered
/// again or next changes, which repairs a crash between the two writes.
/// </summary>
public sealed class ReferralStore(TableStore store, FundLedger ledger)
{
    /// <summary>The one-off step that indexed the referrals written before the index (<see cref="IndexAsync"/>).</summary>
    public const string IndexUpgrade = "referrals-open";
    private TableClient Table => store.Table(TableNames.DischargeReferrals);
    private OpenIndex Open => new(() => Table);
    private ReportFacts Facts => new(store);

    /// <summary>Inserts a new referral; false when its row exists already (the same referral delivered again).</summary>
    public async Task<bool> TryAddAsync(ReferralRecord r, CancellationToken ct = default)
    {
        await Open.AddAsync(r.ReferralId, ct);
        try
        {
            await Table.AddEntityAsync(r, ct);
            await Facts.ReferralAsync(r, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            if (await FindAsync(r.ReferralId, ct) is { } stored) await Facts.ReferralAsync(stored, ct);
            return false;
        }
    }

    /// <summary>Removes a referral whose intake could not be completed, so the referring system's retry makes it.</summary>
    public async Task RemoveAsync(string referralId, CancellationToken ct = default)
    {
        if (await FindAsync(referralId, ct) is { } r) await Facts.RemoveReferralAsync(r, ct);
        await Table.DeleteEntityAsync(referralId, ReferralRecord.Row, cancellationToken: ct);
        await Open.RemoveAsync(referralId, ct);
    }

    /// <summary>Referrals not yet discharged or withdrawn, each read from its own row.</summary>
    public IAsyncEnumerable<ReferralRecord> OpenAsync(CancellationToken ct = default) => Open.ReadAsync(FindAsync, r => IsOpen(r.Status), ct);

    /// <summary>
    /// The one-off step (<see cref="IndexUpgrade"/>) for referrals written before the index: reads every referral once and
    /// indexes those still open, in batches of up to 100. Idempotent. The rows written.
    /// </summary>
    public async Task<int> IndexAsync(CancellationToken ct = default)
    {
        var open = new List<string>();
        await foreach (var r in Table.QueryAsync<TableEntity>(x => x.RowKey == ReferralRecord.Row, select: ["PartitionKey", "Status"], cancellationToken: ct))
            if (IsOpen(r.GetString("Status"))) open.Add(r.PartitionKey);
        return await Open.UpsertAllAsync(new Dictionary<string, List<string>> { [OpenIndex.Partition] = open }, ct);
    }

    /// <summary>Discharged and withdrawn are final: a referral never opens again.</summary>
    private static bool IsOpen(string? status) => status is not (ReferralStatus.Discharged or ReferralStatus.Withdrawn);

    public async Task<ReferralRecord?> FindAsync(string referralId, CancellationToken ct = default)
    {
        if (referralId.Length is 0 or > 64 || !referralId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return null;
        var r = await Table.GetEntityIfExistsAsync<ReferralRecord>(referralId, ReferralRecord.Row, cancellationToken: ct);
        return r.HasValue ? r.Value : null;
    }

    /// <summary>Writes the row if nobody changed it since it was read; false when someone did (read again and decide again).</summary>
    public async Task<bool> TryReplaceAsync(ReferralRecord r, CancellationToken ct = default)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(r, r.ETag, TableUpdateMode.Replace, ct);
            r.ETag = response.Headers.ETag ?? r.ETag;
            if (!IsOpen(r.Status)) await Open.RemoveAsync(r.ReferralId, ct);
            await Facts.ReferralAsync(r, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.IsPreconditionFailed()) { return false; }
    }

    /// <summary>Re-reads and changes the row until the change lands on the latest version; returns it as written.</summary>
    public async Task<ReferralRecord> ChangeAsync(string referralId, Func<ReferralRecord, Task> change, CancellationToken ct = default)
    {
        while (true)
        {
            var r = (await Table.GetEntityAsync<ReferralRecord>(referralId, ReferralRecord.Row, cancellationToken: ct)).Value;
            await change(r);
            if (await TryReplaceAsync(r, ct)) return r;
        }
    }

    /// <summary>
    /// Sets the referral's spend from its requests in the ledger. The row is read before the sums, so a racing
    /// refresh that summed earlier loses on the ETag and sums again: the last write always holds the latest sums.
    /// Callers in this process share runs: each joins the next run to start, which reads after its posting, so
    /// approvals of one referral's items at once do not race each other for its row (another process still can).
    /// </summary>
    public Task<ReferralRecord> RefreshSpendAsync(string referralId, CancellationToken ct = default)
    {
        Task<ReferralRecord> joined;
        bool start;
        lock (_refreshes)
        {
            start = !_refreshes.TryGetValue(referralId, out var next);
            if (next is null) _refreshes[referralId] = next = new(TaskCreationOptions.RunContinuationsAsynchronously);
            joined = next.Task;
        }
        if (start) _ = Task.Run(() => RunRefreshesAsync(referralId), CancellationToken.None);
        return joined.WaitAsync(ct);
    }

    /// <summary>Per referral being refreshed: the run its callers wait for next (null while none waits).</summary>
    private readonly Dictionary<string, TaskCompletionSource<ReferralRecord>?> _refreshes = new();

    private async Task RunRefreshesAsync(string referralId)
    {
        while (true)
        {
            TaskCompletionSource<ReferralRecord> run;
            lock (_refreshes)
            {
                if (_refreshes[referralId] is not { } next)
                {
                    _refreshes.Remove(referralId);
                    return;
                }
                run = next;
                _refreshes[referralId] = null;
            }
            try
            {
                run.TrySetResult(await ChangeAsync(referralId, async r =>
                {
                    if (r.FundYear is null) return;
                    var requests = await ledger.ForReferralAsync(r.FundYear, r.ReferralId);
                    r.SpendPence = requests.Sum(x => x.FundPence);
                    r.SpentPence = requests.Sum(x => x.SpentPence);
                }));
            }
            catch (Exception e)
            {
                run.TrySetException(e);
            }
        }
    }
}

/// <summary>Who may approve how much: an officer up to their limit a referral (the scheme's limit or their own lower one), a manager any amount.</summary>
public sealed class ApprovalRules(DistrictDirectSettings settings)
{
    public long OfficerLimitPence(Officer? officer) =>
        officer?.LimitPence is { } own ? Math.Min(own, settings.OfficerLimitPence) : settings.OfficerLimitPence;

    /// <summary>What is already approved on the referral, apart from <paramref name="exceptId"/>.</summary>
    public static long ApprovedPence(IEnumerable<SpendRequest> referralRequests, string? exceptId = null) =>
        referralRequests.Where(r => r.Id != exceptId && r.Status is SpendStatus.Approved or SpendStatus.Invoiced).Sum(r => r.FundPence);
}
