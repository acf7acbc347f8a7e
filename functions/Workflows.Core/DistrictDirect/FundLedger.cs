using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Workflows.Audit;
using Workflows.Messaging;
using Workflows.Storage;

namespace Workflows.DistrictDirect;

public enum PostingResult
{
    /// <summary>The ledger changed.</summary>
    Posted,
    /// <summary>The same posting was made before (a retry): nothing changed.</summary>
    AlreadyPosted,
    /// <summary>The fund's available money cannot cover it: nothing changed.</summary>
    Insufficient,
    /// <summary>The request is in a state that does not allow it (e.g. approving a rejected request): nothing changed.</summary>
    WrongState,
    /// <summary>An invoice above the approved amount: the difference needs a new approval.</summary>
    OverApproved,
    /// <summary>Approving it would take its referral above the approver's limit: a manager must approve. Nothing changed.</summary>
    OverLimit,
    NoFund,
    NotFound,
}

/// <summary>What setting a fund year's total did.</summary>
public enum FundTotalChange
{
    Opened,
    Changed,
    Unchanged,
    /// <summary>Opened only if absent, and the year was open: left exactly as it is.</summary>
    Kept,
    /// <summary>The total would be below what is committed and spent: nothing changed.</summary>
    BelowCommitted,
    /// <summary>Postings kept changing the fund at the same moment: nothing changed.</summary>
    Busy,
}

/// <summary>The outcome of setting a fund year's total, with the fund as it stands after it.</summary>
public sealed record FundTotalSet(FundTotalChange Change, FundBalance? Fund);

/// <summary>
/// The outcome of a posting, with the request and fund as they stand after it; for an approval within a limit, the
/// referral's requests as its decision saw them.
/// </summary>
public sealed record Posting(PostingResult Result, SpendRequest? Request, FundBalance? Fund, int Retries = 0,
    IReadOnlyList<SpendRequest>? Referral = null);

/// <summary>
/// The District Direct fund for each financial year: total, committed and spent, in integer pence, in Table Storage.
/// Every posting changes the fund row and the spend request's row in one entity-group transaction, each guarded by
/// its ETag: of two writers racing, one commits and the other re-reads and decides again, so the fund can never
/// go below zero and a retried posting finds its request already posted and changes nothing. An approval within an
/// officer's limit reads the referral's other requests in the same partition and puts them in the transaction with
/// their ETags, so two approvals of one referral at once cannot both pass the limit. Postings waiting in one process
/// share a transaction (see <see cref="PostAsync"/>). A singleton, so they can. A year is opened and its total changed
/// only through <see cref="SetTotalAsync"/>, audited (<c>fund:{year}</c>).
/// </summary>
public sealed class FundLedger(TableStore store, AuditTrail audit, ILogger<FundLedger> log)
{
    private const int MaxAttempts = 200;

    /// <summary>Meter "Workflows.DistrictDirect": how often postings race for a fund (dotnet-counters, the benchmarks).</summary>
    public static readonly Meter Meter = new("Workflows.DistrictDirect");
    private static readonly Counter<long> LostRaces = Meter.CreateCounter<long>("fund-posting-lost-races",
        description: "Postings that lost the ETag race for the fund row and were decided again.");

    private TableClient Table => store.Table(TableNames.DischargeFund);

    public static string AuditEntity(string year) => $"fund:{year}";

    private const int SetTotalAttempts = 50;

    /// <summary>The most a fund year may hold: £100m, far above any council's discharge fund, so a slip of the keyboard is caught.</summary>
    public const long MaxTotalPence = 10_000_000_000;

    /// <summary>Opens a fund year unless it exists; an existing fund is left exactly as it is.</summary>
    public async Task<bool> OpenFundAsync(string year, long totalPence, Actor by, CancellationToken ct = default) =>
        (await SetTotalAsync(year, totalPence, by, onlyIfAbsent: true, ct)).Change == FundTotalChange.Opened;

    /// <summary>
    /// Opens a fund year with <paramref name="totalPence"/>, or changes an open year's total, never below what is
    /// committed and spent. The change is conditional on the fund row's ETag, so a posting made meanwhile is seen
    /// (and the check made again), never overwritten.
    /// </summary>
    public async Task<FundTotalSet> SetTotalAsync(string year, long totalPence, Actor by, bool onlyIfAbsent = false, CancellationToken ct = default)
    {
        if (!FundYear.IsValid(year)) throw new ArgumentException($"Not a financial year: {year}", nameof(year));
        if (totalPence < 0) throw new ArgumentOutOfRangeException(nameof(totalPence));
        for (var attempt = 0; attempt < SetTotalAttempts; attempt++)
        {
            // Lost the race to a posting (or another change): back off a little, jittered, and decide again.
            if (attempt > 0) await Task.Delay(Random.Shared.Next(1, 5 + Math.Min(attempt, 20) * 2), ct);
            if (await AccountAsync(year, ct) is not { } account)
            {
                var opened = new FundAccount { PartitionKey = year, TotalPence = totalPence };
                var added = await audit.RecordAsync(AuditEntity(year), "created", by, null, opened.Balance(), async () =>
                {
                    try { await Table.AddEntityAsync(opened, ct); return true; }
                    catch (RequestFailedException e) when (e.IsConflict()) { return false; }
                }, ct);
                if (added) return new(FundTotalChange.Opened, opened.Balance());
                continue;
            }
            var before = account.Balance();
            if (onlyIfAbsent) return new(FundTotalChange.Kept, before);
            if (account.TotalPence == totalPence) return new(FundTotalChange.Unchanged, before);
            if (totalPence < account.CommittedPence + account.SpentPence) return new(FundTotalChange.BelowCommitted, before);
            account.TotalPence = totalPence;
            var changed = await audit.RecordAsync(AuditEntity(year), "changed", by, before, account.Balance(), async () =>
            {
                try { await Table.UpdateEntityAsync(account, account.ETag, TableUpdateMode.Replace, ct); return true; }
                catch (RequestFailedException e) when (e.IsPreconditionFailed()) { return false; }
            }, ct);
            if (changed) return new(FundTotalChange.Changed, account.Balance());
        }
        return new(FundTotalChange.Busy, null);
    }

    public async Task<FundBalance?> BalanceAsync(string year, CancellationToken ct = default) =>
        (await AccountAsync(year, ct))?.Balance();

    /// <summary>Adds the requests that are not there yet (a retried assessment adds nothing twice).</summary>
    public async Task AddRequestsAsync(IEnumerable<SpendRequest> requests, CancellationToken ct = default)
    {
        foreach (var r in requests)
        {
            try { await Table.AddEntityAsync(r, ct); }
            catch (RequestFailedException e) when (e.IsConflict()) { }
        }
    }

    public async Task<SpendRequest?> FindAsync(string id, CancellationToken ct = default)
    {
        if (SpendRequest.FundYearOf(id) is not { } year || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-'))) return null;
        var r = await Table.GetEntityIfExistsAsync<SpendRequest>(year, id, cancellationToken: ct);
        return r.HasValue ? r.Value : null;
    }

    /// <summary>
    /// A referral's requests in its fund year, by key: their ids share the referral's prefix (<see cref="SpendRequest.KeysOf"/>),
    /// so this reads a range of the fund year's partition, not every request of the year.
    /// </summary>
    public async Task<IReadOnlyList<SpendRequest>> ForReferralAsync(string year, string referralId, CancellationToken ct = default)
    {
        var list = new List<SpendRequest>();
        var (from, to) = SpendRequest.KeysOf(year, referralId);
        await foreach (var r in Table.QueryAsync<SpendRequest>(TableClient.CreateQueryFilter(
            $"PartitionKey eq {year} and RowKey ge {from} and RowKey lt {to} and ReferralId eq {referralId}"), cancellationToken: ct))
            list.Add(r);
        return list.OrderBy(r => r.Number).ToList();
    }

    /// <summary>Every spend request of a fund year (the ledger's audit: their shares add up to the fund's totals).</summary>
    public async Task<IReadOnlyList<SpendRequest>> RequestsAsync(string year, CancellationToken ct = default)
    {
        var list = new List<SpendRequest>();
        await foreach (var r in Table.QueryAsync<SpendRequest>(x => x.PartitionKey == year && x.RowKey != FundAccount.Row, cancellationToken: ct))
            list.Add(r);
        return list;
    }

    /// <summary>
    /// Approves a request: commits its amount if the fund's available money covers it and, given a
    /// <paramref name="limitPence"/> (an officer's), if the referral's approved spend stays within it.
    /// </summary>
    public Task<Posting> CommitAsync(string id, string by, string byName, string via, DateTimeOffset at, long? limitPence = null,
        CancellationToken ct = default) =>
        PostAsync(id, (fund, r, referral) =>
        {
            if (r.Status is SpendStatus.Approved or SpendStatus.Invoiced) return PostingResult.AlreadyPosted;
            if (r.Status != SpendStatus.Pending) return PostingResult.WrongState;
            if (limitPence is { } limit && ApprovalRules.ApprovedPence(referral, r.Id) + r.AmountPence > limit) return PostingResult.OverLimit;
            if (r.AmountPence > fund.AvailablePence) return PostingResult.Insufficient;
            fund.CommittedPence += r.AmountPence;
            r.CommittedPence = r.AmountPence;
            r.Status = SpendStatus.Approved;
            (r.DecidedBy, r.DecidedByName, r.DecidedVia, r.DecidedAt) = (by, byName, via, at);
            return PostingResult.Posted;
        }, limitPence is not null, ct);

    /// <summary>The works are paid for: the commitment becomes spend, and what the invoice did not use is released.</summary>
    public Task<Posting> InvoiceAsync(string id, long amountPence, DateTimeOffset at, CancellationToken ct = default) =>
        PostAsync(id, (fund, r, _) =>
        {
            if (r.Status == SpendStatus.Invoiced) return r.SpentPence == amountPence ? PostingResult.AlreadyPosted : PostingResult.WrongState;
            if (r.Status != SpendStatus.Approved) return PostingResult.WrongState;
            if (amountPence > r.CommittedPence) return PostingResult.OverApproved;
            fund.CommittedPence -= r.CommittedPence;
            fund.SpentPence += amountPence;
            r.ReleasedPence = r.CommittedPence - amountPence;
            r.CommittedPence = 0;
            r.SpentPence = amountPence;
            r.Status = SpendStatus.Invoiced;
            r.InvoicedAt = at;
            return PostingResult.Posted;
        }, false, ct);

    /// <summary>The works will not happen: a pending request closes, an approved one releases its commitment.</summary>
    public Task<Posting> CancelAsync(string id, string by, string? reason, DateTimeOffset at, CancellationToken ct = default) =>
        PostAsync(id, (fund, r, _) =>
        {
            if (r.Status == SpendStatus.Cancelled) return PostingResult.AlreadyPosted;
            if (r.Status is not (SpendStatus.Pending or SpendStatus.Approved)) return PostingResult.WrongState;
            fund.CommittedPence -= r.CommittedPence;
            r.ReleasedPence = r.CommittedPence;
            r.CommittedPence = 0;
            r.Status = SpendStatus.Cancelled;
            r.CancelledAt = at;
            r.Reason = reason ?? r.Reason;
            r.DecidedBy ??= by;
            return PostingResult.Posted;
        }, false, ct);

    /// <summary>Turns a request down with its reason; no money moves.</summary>
    public Task<Posting> RejectAsync(string id, string by, string byName, string via, string reason, DateTimeOffset at, CancellationToken ct = default) =>
        PostAsync(id, (_, r, _) =>
        {
            if (r.Status == SpendStatus.Rejected) return PostingResult.AlreadyPosted;
            if (r.Status != SpendStatus.Pending) return PostingResult.WrongState;
            r.Status = SpendStatus.Rejected;
            r.Reason = reason;
            (r.DecidedBy, r.DecidedByName, r.DecidedVia, r.DecidedAt) = (by, byName, via, at);
            return PostingResult.Posted;
        }, false, ct);

    /// <summary>Remembers the SMS code and link an approver was sent for a request (no money moves).</summary>
    public async Task<SpendRequest?> NoteApprovalCodeAsync(string id, IssuedCode code, string approverId, CancellationToken ct = default)
    {
        var posting = await PostAsync(id, (_, r, _) =>
        {
            if (r.ApprovalCode is not null) return PostingResult.AlreadyPosted;
            (r.ApprovalCode, r.ApprovalLinkId, r.ApproverId) = (code.Code, code.LinkId, approverId);
            return PostingResult.Posted;
        }, false, ct);
        return posting.Request;
    }

    /// <summary>
    /// Queues the posting for its fund and returns when it is written. Postings to one fund are serial by nature
    /// (each changes the fund row), so instead of racing each other for the row's ETag, the postings waiting in
    /// this process are written together: one read of the fund and their requests, each decided in turn against
    /// the fund as the ones before left it, and one transaction for them all. Another process posting to the same
    /// fund still makes the ETag race, and the loser reads again and decides again.
    /// </summary>
    /// <param name="readsReferral">The decision reads the request's referral (its other requests), which then guard the transaction.</param>
    private Task<Posting> PostAsync(string id, Decision decide, bool readsReferral, CancellationToken ct)
    {
        if (SpendRequest.FundYearOf(id) is not { } year) return Task.FromResult(new Posting(PostingResult.NotFound, null, null));
        var posting = new QueuedPosting(id, decide, readsReferral);
        var fund = _postings.GetOrAdd(year, _ => new FundPostings());
        bool drain;
        lock (fund)
        {
            fund.Waiting.Enqueue(posting);
            drain = !fund.Draining;
            fund.Draining = true;
        }
        if (drain) _ = Task.Run(() => DrainAsync(year, fund), CancellationToken.None);
        // A caller that gives up stops waiting; its posting, once queued, is still written or refused as decided.
        return posting.Done.Task.WaitAsync(ct);
    }

    private readonly ConcurrentDictionary<string, FundPostings> _postings = new();

    private sealed class FundPostings
    {
        public readonly Queue<QueuedPosting> Waiting = new();
        public bool Draining;
    }

    /// <summary>Decides a posting against the fund, the request and (when asked for) the referral's requests, changing them in place.</summary>
    private delegate PostingResult Decision(FundAccount fund, SpendRequest request, IReadOnlyList<SpendRequest> referral);

    private sealed record QueuedPosting(string Id, Decision Decide, bool ReadsReferral)
    {
        public TaskCompletionSource<Posting> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task DrainAsync(string year, FundPostings fund)
    {
        while (true)
        {
            var batch = new List<QueuedPosting>();
            lock (fund)
            {
                // A transaction holds at most 100 rows: the fund's and up to 99 requests, counting every request of a
                // referral whose limit is decided (they guard the transaction).
                var ids = new HashSet<string>();
                var rows = 0;
                while (fund.Waiting.TryPeek(out var next))
                {
                    var cost = next.ReadsReferral ? SpendRequest.MaxPerReferral : ids.Contains(next.Id) ? 0 : 1;
                    if (batch.Count > 0 && rows + cost > MaxRequestsPerTransaction) break;
                    ids.Add(next.Id);
                    rows += cost;
                    batch.Add(fund.Waiting.Dequeue());
                }
                if (batch.Count == 0)
                {
                    fund.Draining = false;
                    return;
                }
            }
            try
            {
                var results = await PostTogetherAsync(year, batch);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Done.TrySetException(e);
            }
        }
    }

    private const int MaxRequestsPerTransaction = 99;

    /// <summary>
    /// Reads the fund and the requests (and the referrals whose limit is decided), lets each posting decide in order,
    /// and writes the fund and every changed request in one transaction conditional on all their ETags and on those of
    /// the referrals' other requests; when another writer got there first, reads again and decides again.
    /// </summary>
    private async Task<Posting[]> PostTogetherAsync(string year, IReadOnlyList<QueuedPosting> batch)
    {
        for (var attempt = 0; ; attempt++)
        {
            var fundRead = AccountAsync(year, CancellationToken.None);
            var requestReads = batch.Select(p => p.Id).Distinct().ToDictionary(id => id,
                id => Table.GetEntityIfExistsAsync<SpendRequest>(year, id, cancellationToken: CancellationToken.None));
            var fund = await fundRead;
            var requests = new Dictionary<string, SpendRequest>();
            foreach (var (id, read) in requestReads)
                if (await read is { HasValue: true } found) requests[id] = found.Value!;
            var referrals = await ReadReferralsAsync(year, batch.Where(p => p.ReadsReferral && requests.ContainsKey(p.Id))
                .Select(p => requests[p.Id].ReferralId).Distinct(), requests);

            var results = new PostingResult[batch.Count];
            var changed = new Dictionary<string, SpendRequest>();
            for (var i = 0; i < batch.Count; i++)
            {
                if (!requests.TryGetValue(batch[i].Id, out var request)) results[i] = PostingResult.NotFound;
                else if (fund is null) results[i] = PostingResult.NoFund;
                else if ((results[i] = batch[i].Decide(fund, request, referrals.GetValueOrDefault(request.ReferralId) ?? [])) == PostingResult.Posted)
                    changed[request.Id] = request;
            }
            if (changed.Count > 0)
            {
                // The other requests of a referral whose limit was decided: unchanged, but the decision holds only if they are
                // too. Every posting also writes the fund row, which orders them already; these keep the limit sound against
                // any writer of a request row that does not.
                var guards = referrals.Values.SelectMany(r => r).Where(r => !changed.ContainsKey(r.Id)).ToList();
                try
                {
                    var responses = await Table.SubmitTransactionAsync(
                        changed.Values.Select(r => new TableTransactionAction(TableTransactionActionType.UpdateReplace, r, r.ETag))
                            .Concat(guards.Select(r => new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                                new TableEntity(r.PartitionKey, r.RowKey), r.ETag)))
                            .Prepend(new TableTransactionAction(TableTransactionActionType.UpdateReplace, fund!, fund!.ETag)));
                    fund.ETag = responses.Value[0].Headers.ETag ?? fund.ETag;
                    var n = 1;
                    foreach (var r in changed.Values.Concat(guards)) r.ETag = responses.Value[n++].Headers.ETag ?? r.ETag;
                    if (fund.CommittedPence < 0 || fund.AvailablePence < 0)
                        log.LogError("Fund {Year} out of balance after posting {Count} requests", year, changed.Count);
                }
                catch (RequestFailedException e) when (e.IsPreconditionFailed() || e.IsConflict())
                {
                    LostRaces.Add(1);
                    if (attempt + 1 >= MaxAttempts) throw new FundBusyException(year, attempt + 1, e);
                    // Another process posted to this fund: back off a little (jittered, so the losers spread out) and decide again.
                    await Task.Delay(Random.Shared.Next(1, 5 + Math.Min(attempt, 20) * 2));
                    continue;
                }
            }
            // Each posting reports the request and the fund as they stand after the whole transaction.
            var balance = fund?.Balance();
            return batch.Select((p, i) => new Posting(results[i], requests.GetValueOrDefault(p.Id), balance, attempt,
                p.ReadsReferral && requests.TryGetValue(p.Id, out var r) ? referrals.GetValueOrDefault(r.ReferralId) : null)).ToArray();
        }
    }

    /// <summary>
    /// Each referral's requests, sharing the objects already read into <paramref name="requests"/> (and adding the rest
    /// to it), so a decision sees what the postings before it in the batch decided.
    /// </summary>
    private async Task<Dictionary<string, IReadOnlyList<SpendRequest>>> ReadReferralsAsync(string year, IEnumerable<string> referralIds,
        Dictionary<string, SpendRequest> requests)
    {
        var referrals = new Dictionary<string, IReadOnlyList<SpendRequest>>();
        foreach (var referralId in referralIds)
            referrals[referralId] = (await ForReferralAsync(year, referralId)).Select(r => requests.TryAdd(r.Id, r) ? r : requests[r.Id]).ToList();
        return referrals;
    }

    private async Task<FundAccount?> AccountAsync(string year, CancellationToken ct)
    {
        var r = await Table.GetEntityIfExistsAsync<FundAccount>(year, FundAccount.Row, cancellationToken: ct);
        return r.HasValue ? r.Value : null;
    }
}

/// <summary>So many postings raced for the fund that this one gave up; the caller should try again shortly.</summary>
public sealed class FundBusyException(string year, int attempts, Exception inner)
    : Exception($"The {year} fund was busy: {attempts} attempts lost the race.", inner);
