using System.Diagnostics.Metrics;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
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
    NoFund,
    NotFound,
}

/// <summary>The outcome of a posting, with the request and fund as they stand after it.</summary>
public sealed record Posting(PostingResult Result, SpendRequest? Request, FundBalance? Fund, int Retries = 0);

/// <summary>
/// The District Direct fund for each financial year: total, committed and spent, in integer pence, in Table Storage.
/// Every posting changes the fund row and the spend request's row in one entity-group transaction, each guarded by
/// its ETag: of two postings racing, one commits and the other re-reads and decides again, so the fund can never
/// go below zero and a retried posting finds its request already posted and changes nothing.
/// </summary>
public sealed class FundLedger(TableStore store, ILogger<FundLedger> log)
{
    private const int MaxAttempts = 200;

    /// <summary>Meter "Workflows.DistrictDirect": how often postings race for a fund (dotnet-counters, the benchmarks).</summary>
    public static readonly Meter Meter = new("Workflows.DistrictDirect");
    private static readonly Counter<long> LostRaces = Meter.CreateCounter<long>("fund-posting-lost-races",
        description: "Postings that lost the ETag race for the fund row and were decided again.");

    private TableClient Table => store.Table(TableNames.DischargeFund);

    /// <summary>Opens a fund year unless it exists; an existing fund is left exactly as it is.</summary>
    public async Task<bool> OpenFundAsync(string year, long totalPence, CancellationToken ct = default)
    {
        if (totalPence < 0) throw new ArgumentOutOfRangeException(nameof(totalPence));
        try
        {
            await Table.AddEntityAsync(new FundAccount { PartitionKey = year, TotalPence = totalPence }, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict()) { return false; }
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

    public async Task<IReadOnlyList<SpendRequest>> ForReferralAsync(string year, string referralId, CancellationToken ct = default)
    {
        var list = new List<SpendRequest>();
        await foreach (var r in Table.QueryAsync<SpendRequest>(x => x.PartitionKey == year && x.ReferralId == referralId, cancellationToken: ct))
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

    /// <summary>Approves a request: commits its amount if the fund's available money covers it.</summary>
    public Task<Posting> CommitAsync(string id, string by, string byName, string via, DateTimeOffset at, CancellationToken ct = default) =>
        PostAsync(id, (fund, r) =>
        {
            if (r.Status is SpendStatus.Approved or SpendStatus.Invoiced) return PostingResult.AlreadyPosted;
            if (r.Status != SpendStatus.Pending) return PostingResult.WrongState;
            if (r.AmountPence > fund.AvailablePence) return PostingResult.Insufficient;
            fund.CommittedPence += r.AmountPence;
            r.CommittedPence = r.AmountPence;
            r.Status = SpendStatus.Approved;
            (r.DecidedBy, r.DecidedByName, r.DecidedVia, r.DecidedAt) = (by, byName, via, at);
            return PostingResult.Posted;
        }, ct);

    /// <summary>The works are paid for: the commitment becomes spend, and what the invoice did not use is released.</summary>
    public Task<Posting> InvoiceAsync(string id, long amountPence, DateTimeOffset at, CancellationToken ct = default) =>
        PostAsync(id, (fund, r) =>
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
        }, ct);

    /// <summary>The works will not happen: a pending request closes, an approved one releases its commitment.</summary>
    public Task<Posting> CancelAsync(string id, string by, string? reason, DateTimeOffset at, CancellationToken ct = default) =>
        PostAsync(id, (fund, r) =>
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
        }, ct);

    /// <summary>Turns a request down with its reason; no money moves.</summary>
    public Task<Posting> RejectAsync(string id, string by, string byName, string via, string reason, DateTimeOffset at, CancellationToken ct = default) =>
        PostAsync(id, (_, r) =>
        {
            if (r.Status == SpendStatus.Rejected) return PostingResult.AlreadyPosted;
            if (r.Status != SpendStatus.Pending) return PostingResult.WrongState;
            r.Status = SpendStatus.Rejected;
            r.Reason = reason;
            (r.DecidedBy, r.DecidedByName, r.DecidedVia, r.DecidedAt) = (by, byName, via, at);
            return PostingResult.Posted;
        }, ct);

    /// <summary>Remembers the SMS code an approver was sent for a request (no money moves).</summary>
    public async Task<SpendRequest?> NoteApprovalCodeAsync(string id, string code, string approverId, CancellationToken ct = default)
    {
        var posting = await PostAsync(id, (_, r) =>
        {
            if (r.ApprovalCode is not null) return PostingResult.AlreadyPosted;
            (r.ApprovalCode, r.ApproverId) = (code, approverId);
            return PostingResult.Posted;
        }, ct);
        return posting.Request;
    }

    /// <summary>
    /// Reads the fund and the request, lets <paramref name="decide"/> change them, and writes both in one transaction
    /// conditional on both ETags; when another posting got there first, reads again and decides again.
    /// </summary>
    private async Task<Posting> PostAsync(string id, Func<FundAccount, SpendRequest, PostingResult> decide, CancellationToken ct)
    {
        if (SpendRequest.FundYearOf(id) is not { } year) return new Posting(PostingResult.NotFound, null, null);
        for (var attempt = 0; ; attempt++)
        {
            var fundRead = AccountAsync(year, ct);
            var requestRead = Table.GetEntityIfExistsAsync<SpendRequest>(year, id, cancellationToken: ct);
            var fund = await fundRead;
            var found = await requestRead;
            if (!found.HasValue) return new Posting(PostingResult.NotFound, null, fund?.Balance(), attempt);
            var request = found.Value!;
            if (fund is null) return new Posting(PostingResult.NoFund, request, null, attempt);

            var result = decide(fund, request);
            if (result != PostingResult.Posted) return new Posting(result, request, fund.Balance(), attempt);
            try
            {
                var responses = await Table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, fund, fund.ETag),
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, request, request.ETag),
                ], ct);
                fund.ETag = responses.Value[0].Headers.ETag ?? fund.ETag;
                request.ETag = responses.Value[1].Headers.ETag ?? request.ETag;
                if (fund.CommittedPence < 0 || fund.AvailablePence < 0)
                    log.LogError("Fund {Year} out of balance after posting {SpendRequestId}", year, id);
                return new Posting(PostingResult.Posted, request, fund.Balance(), attempt);
            }
            catch (RequestFailedException e) when (e.IsPreconditionFailed() || e.IsConflict())
            {
                LostRaces.Add(1);
                if (attempt + 1 >= MaxAttempts) throw new FundBusyException(year, attempt + 1, e);
                // Someone else posted to this fund: back off a little (jittered, so the losers spread out) and decide again.
                await Task.Delay(Random.Shared.Next(1, 5 + Math.Min(attempt, 20) * 2), ct);
            }
        }
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
