using Workflows.Storage;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using NodaTime.Text;
using Workflows.Http;

namespace Workflows.DistrictDirect;

/// <summary>The District Direct HTTP routes, served the same by the Functions app and the local host.</summary>
public sealed class DistrictDirectEndpoints(
    ReferralIntake intake, ReferralStore referrals, ReferralTimeline timeline, FundLedger ledger, DistrictDirectRegister register,
    ApprovalRules rules, ReferralWithdrawals withdrawals, FundYearEndWatch yearEnd, TimeProvider time, ILogger<DistrictDirectEndpoints> log)
{
    private static readonly string[] Staff = [Roles.DdOfficer, Roles.DdManager];
    public static readonly string[] Decisions = ["approve", "reject"];

    /// <summary>POST /api/district-direct/referrals: a referral from a ward, ED or paramedic system (app key, no person).</summary>
    public async Task<IResult> SubmitReferral(HttpRequest request, DurableTaskClient client)
    {
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var hospitals = (await register.HospitalsAsync()).Select(h => h.Id).ToList();
        var (referral, invalid) = DischargeReferral.Read(body, time.GetUtcNow(), hospitals);
        if (invalid is not null) return invalid;

        var accepted = await intake.AcceptAsync(referral!, client, request.HttpContext.RequestAborted);
        return Results.Json(new { referralId = accepted.ReferralId, status = accepted.Status, statusUrl = ReferralUrl(accepted.ReferralId) },
            Json.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>GET /api/district-direct/referrals/{id}: the referral, its spend requests and its timeline.</summary>
    public async Task<IResult> GetReferral(HttpRequest request, string referralId)
    {
        if (StaffPrincipal.Require(request, Staff).Problem is { } denied) return denied;
        if (await referrals.FindAsync(referralId) is null) return Problems.NotFound($"There is no District Direct referral {referralId}.");
        // The timeline before the row: a step changes the row and then writes its event, so a row read after the events
        // holds every change they tell of (read the other way, an escalation could show with its time still unset).
        var events = await timeline.ReadAsync(referralId);
        if (await referrals.FindAsync(referralId) is not { } r) return Problems.NotFound($"There is no District Direct referral {referralId}.");
        var spend = r.FundYear is null ? [] : await ledger.ForReferralAsync(r.FundYear, r.ReferralId);
        var hospital = await register.HospitalAsync(r.Hospital);
        return Results.Json(new
        {
            referralId = r.ReferralId,
            status = r.Status,
            source = r.Source,
            hospital = new { id = r.Hospital, name = hospital?.Name },
            blockers = r.BlockerList,
            otherBlocker = r.OtherBlocker,
            fitForDischargeAt = r.FitForDischargeAt,
            createdAt = r.CreatedAt,
            patient = new { nhsNumber = r.NhsNumber, name = r.PatientName, dateOfBirth = r.DateOfBirth, address = r.Address, postcode = r.Postcode, phone = r.PatientPhone },
            assessment = r.AssessedAt is null ? null : new { by = r.AssessedByName, officerId = r.AssessedBy, at = r.AssessedAt, findings = r.Findings },
            fundYear = r.FundYear,
            spendPence = r.SpendPence,
            spentPence = r.SpentPence,
            spendRequests = spend.Select(SpendJson),
            housing = r.DutyToReferAt is null ? null : new
            {
                authority = r.HousingAuthority is null ? null : new { id = r.HousingAuthority, name = r.HousingAuthorityName },
                dutyToReferAt = r.DutyToReferAt,
                support = r.HousingSupportJson is null ? (JsonElement?)null : JsonSerializer.Deserialize<JsonElement>(r.HousingSupportJson),
            },
            escalated = new { assessmentAt = r.AssessmentEscalatedAt, approvalAt = r.ApprovalEscalatedAt },
            needsAttention = r.AttentionAt is null ? null : new { reason = r.AttentionReason, at = r.AttentionAt },
            withdrawal = r.WithdrawnAt is null ? null : new { reason = r.WithdrawalReason, by = r.WithdrawnByName, at = r.WithdrawnAt },
            discharge = r.DischargedAt is null ? null : new
            {
                dischargedAt = r.DischargedAt, bedDaysSaved = r.BedDaysSaved, dtocDays = r.DtocDays, averageDelayDays = r.AverageDelayDays,
            },
            timeline = events.Select(e => new { at = e.At, kind = e.Kind, actor = e.Actor, summary = e.Summary }),
        }, Json.Options);
    }

    /// <summary>
    /// POST .../referrals/{id}/assessment: the officer's findings and the works to pay for; creates the spend requests.
    /// The same assessment sent again gets the same answer; a different one after the first is a conflict.
    /// </summary>
    public async Task<IResult> RecordAssessment(HttpRequest request, string referralId, DurableTaskClient client)
    {
        var (officer, denied) = StaffPrincipal.Require(request, Roles.DdOfficer);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var findings = f.String("findings", maxLength: 4000, multiline: true);
        var items = new List<(string Item, long Amount, string Supplier)>();
        foreach (var s in f.Objects("spend", maxItems: SpendRequest.MaxPerReferral))
        {
            var item = s.String("item", maxLength: 200);
            var amount = s.Integer("amountPence", min: 1, max: 10_000_000);
            var supplier = s.String("supplier", maxLength: 200);
            if (item is not null && amount is not null && supplier is not null) items.Add((item, amount.Value, supplier));
        }
        if (!f.IsValid) return Problems.Validation(f.Errors);
        if (await referrals.FindAsync(referralId) is not { } r) return Problems.NotFound($"There is no District Direct referral {referralId}.");
        if (await OrchestrationEvents.NotStartedProblemAsync(client, r.InstanceId, "This referral was submitted") is { } opening) return opening;
        if (r.Status == ReferralStatus.Withdrawn) return Withdrawn(r);

        var hash = ReferralRecord.Hash(JsonSerializer.Serialize(new { findings, items = items.Select(i => new[] { i.Item, i.Amount.ToString(), i.Supplier }) }));
        var now = time.GetUtcNow();
        // The ETag makes this a claim: of two officers assessing at once, one write succeeds. A write that lost to the
        // referral's own steps (which change other fields of the row) reads the row again and claims it again.
        for (var attempt = 1; r.Status == ReferralStatus.AwaitingAssessment; attempt++)
        {
            r.FundYear = FundYear.Of(now);
            r.Status = items.Count > 0 ? ReferralStatus.AwaitingApproval : ReferralStatus.AwaitingDischarge;
            (r.AssessedBy, r.AssessedByName, r.AssessedAt, r.Findings, r.AssessmentHash, r.SpendRequestCount) =
                (officer!.UserId, officer.Name, now, findings, hash, items.Count);
            if (await referrals.TryReplaceAsync(r))
            {
                await timeline.AppendAsync(new TimelineEntry(r.ReferralId, "assessed", now, "assessed", officer.Name,
                    $"Home assessed: {findings} {items.Count} spend request(s), {DistrictDirectTexts.Money(items.Sum(i => i.Amount))}."));
                break;
            }
            if (attempt >= 10)
                return Problems.Unavailable("The referral changed while the assessment was being saved; nothing was recorded. Try again in a few seconds.");
            await Task.Delay(50 * attempt);
            r = (await referrals.FindAsync(referralId))!;
            if (r.Status == ReferralStatus.Withdrawn) return Withdrawn(r);
        }
        if (r.AssessmentHash != hash)
            return Problems.Conflict("Already assessed", $"This referral was assessed by {r.AssessedByName} at {r.AssessedAt:u}.");

        // From here every step is safe to repeat, so a retried request completes what a failed one began.
        var requests = items.Select((i, n) => new SpendRequest
        {
            PartitionKey = r.FundYear!, RowKey = SpendRequest.IdFor(r.FundYear!, r.ReferralId, n + 1), ReferralId = r.ReferralId, Number = n + 1,
            Item = i.Item, AmountPence = i.Amount, Supplier = i.Supplier, RequestedBy = r.AssessedBy!, RequestedAt = r.AssessedAt!.Value,
        }).ToList();
        await ledger.AddRequestsAsync(requests);
        await NotifyAsync(client, r.InstanceId, DischargeReferralWorkflow.AssessedEvent,
            new AssessmentRecorded(r.FundYear!, requests.Select(x => x.Id).ToList(), r.AssessedBy!, r.AssessedAt!.Value));
        var stored = await ledger.ForReferralAsync(r.FundYear!, r.ReferralId);
        return Results.Json(new
        {
            referralId = r.ReferralId, status = r.Status, fundYear = r.FundYear, spendRequests = stored.Select(SpendJson),
        }, Json.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// POST .../spend-requests/{id}/decision: approve (commits the money; 403 when above the officer's limit, 409 with
    /// availablePence when the fund cannot cover it) or reject with a reason.
    /// </summary>
    public async Task<IResult> DecideSpend(HttpRequest request, string spendRequestId, DurableTaskClient client)
    {
        var (staff, denied) = StaffPrincipal.Require(request, Staff);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var decision = f.OneOf("decision", Decisions);
        var reason = f.String("reason", required: decision == "reject", maxLength: 1000, multiline: true);
        if (!f.IsValid) return Problems.Validation(f.Errors);
        if (await ledger.FindAsync(spendRequestId) is not { } spend) return Problems.NotFound($"There is no spend request {spendRequestId}.");
        var now = time.GetUtcNow();

        Posting posting;
        if (decision == "reject")
        {
            posting = await ledger.RejectAsync(spend.Id, staff!.UserId, staff.Name, "web", reason!, now);
        }
        else
        {
            // An officer's limit is decided with the posting, in the fund's transaction: two approvals at once cannot both pass it.
            var limit = staff!.IsIn(Roles.DdManager) ? (long?)null : rules.OfficerLimitPence(await register.OfficerAsync(staff.UserId));
            posting = await ledger.CommitAsync(spend.Id, staff.UserId, staff.Name, "web", now, limit);
            if (posting.Result == PostingResult.OverLimit)
                return ApprovalChecks.OverLimit(spend, limit!.Value, ApprovalRules.ApprovedPence(posting.Referral!, spend.Id));
        }

        switch (posting.Result)
        {
            case PostingResult.Insufficient:
                return ApprovalChecks.FundShort(spend, posting.Fund!.AvailablePence);
            case PostingResult.NoFund:
                return ApprovalChecks.NoFund(spend);
            case PostingResult.WrongState:
                return ApprovalChecks.AlreadyDecided(posting.Request!);
            case PostingResult.NotFound:
                return Problems.NotFound($"There is no spend request {spendRequestId}.");
        }

        var settled = posting.Request!;
        if (posting.Result == PostingResult.Posted)
        {
            await referrals.RefreshSpendAsync(settled.ReferralId);
            await timeline.AppendAsync(new TimelineEntry(settled.ReferralId, $"decision-{settled.Id}", now,
                decision == "approve" ? "spend-approved" : "spend-rejected", staff.Name,
                decision == "approve"
                    ? $"Spend request {settled.Id} ({settled.Item}, {DistrictDirectTexts.Money(settled.AmountPence)}) approved: committed; fund available {DistrictDirectTexts.Money(posting.Fund!.AvailablePence)}."
                    : $"Spend request {settled.Id} ({settled.Item}, {DistrictDirectTexts.Money(settled.AmountPence)}) rejected: {reason}"));
            log.LogInformation("Spend request {SpendRequestId} {Status}", settled.Id, settled.Status);
        }
        await NotifyAsync(client, ReferralRecord.InstanceIdFor(settled.ReferralId), DischargeReferralWorkflow.SpendDecidedEvent,
            new SpendDecided(settled.Id, settled.Status, staff.UserId));
        return Results.Json(new { spendRequest = SpendJson(settled), fund = posting.Fund }, Json.Options);
    }

    /// <summary>POST .../spend-requests/{id}/invoice: the works are paid; money moves from committed to spent, any rest is released.</summary>
    public async Task<IResult> InvoiceSpend(HttpRequest request, string spendRequestId)
    {
        var (staff, denied) = StaffPrincipal.Require(request, Staff);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var amount = f.Integer("amountPence", min: 0, max: 10_000_000);
        if (!f.IsValid) return Problems.Validation(f.Errors);
        if (await ledger.FindAsync(spendRequestId) is not { } spend) return Problems.NotFound($"There is no spend request {spendRequestId}.");

        var now = time.GetUtcNow();
        var posting = await ledger.InvoiceAsync(spend.Id, amount!.Value, now);
        switch (posting.Result)
        {
            case PostingResult.OverApproved:
                return Problems.Conflict("More than was approved",
                    $"The invoice is {DistrictDirectTexts.Money(amount.Value)} but {DistrictDirectTexts.Money(posting.Request!.CommittedPence)} was approved: " +
                    "record the approved amount here and raise a new spend request for the difference.",
                    new Dictionary<string, object?> { ["approvedPence"] = posting.Request.CommittedPence });
            case PostingResult.WrongState:
                return Problems.Conflict("Cannot invoice", posting.Request!.Status == SpendStatus.Invoiced
                    ? $"This spend request was already invoiced at {DistrictDirectTexts.Money(posting.Request.SpentPence)}."
                    : $"This spend request is {posting.Request.Status}: only approved works can be invoiced.");
            case PostingResult.NoFund or PostingResult.NotFound:
                return Problems.NotFound($"There is no spend request {spendRequestId} in a fund.");
        }
        var r = posting.Request!;
        if (posting.Result == PostingResult.Posted)
        {
            await referrals.RefreshSpendAsync(r.ReferralId);
            var released = r.ReleasedPence > 0 ? $"; {DistrictDirectTexts.Money(r.ReleasedPence)} released back to the fund" : "";
            await timeline.AppendAsync(new TimelineEntry(r.ReferralId, $"invoice-{r.Id}", now, "spend-invoiced", staff!.Name,
                $"Works done for {r.Id} ({r.Item}): invoiced {DistrictDirectTexts.Money(r.SpentPence)}{released}."));
        }
        return Results.Json(new { spendRequest = SpendJson(r), fund = posting.Fund }, Json.Options);
    }

    /// <summary>POST .../spend-requests/{id}/cancel: the works will not happen; any commitment goes back to the fund.</summary>
    public async Task<IResult> CancelSpend(HttpRequest request, string spendRequestId, DurableTaskClient client)
    {
        var (staff, denied) = StaffPrincipal.Require(request, Staff);
        if (denied is not null) return denied;
        string? reason = null;
        if (request.ContentLength is > 0 || request.ContentType is not null)
        {
            var (body, problem) = await RequestBody.ReadJsonAsync(request);
            if (problem is not null) return problem;
            var f = new FieldReader(body);
            reason = f.String("reason", required: false, maxLength: 1000, multiline: true);
            if (!f.IsValid) return Problems.Validation(f.Errors);
        }
        if (await ledger.FindAsync(spendRequestId) is not { } spend) return Problems.NotFound($"There is no spend request {spendRequestId}.");

        var now = time.GetUtcNow();
        var posting = await ledger.CancelAsync(spend.Id, staff!.UserId, reason, now);
        if (posting.Result == PostingResult.WrongState)
            return Problems.Conflict("Cannot cancel", $"This spend request is {posting.Request!.Status}: only pending or approved works can be cancelled.");
        if (posting.Result is PostingResult.NoFund or PostingResult.NotFound)
            return Problems.NotFound($"There is no spend request {spendRequestId} in a fund.");
        var r = posting.Request!;
        if (posting.Result == PostingResult.Posted)
        {
            await referrals.RefreshSpendAsync(r.ReferralId);
            var released = r.ReleasedPence > 0 ? $"; {DistrictDirectTexts.Money(r.ReleasedPence)} released back to the fund" : "";
            await timeline.AppendAsync(new TimelineEntry(r.ReferralId, $"cancel-{r.Id}", now, "spend-cancelled", staff.Name,
                $"Works cancelled for {r.Id} ({r.Item}){released}. {reason}".TrimEnd()));
        }
        await NotifyAsync(client, ReferralRecord.InstanceIdFor(r.ReferralId), DischargeReferralWorkflow.SpendDecidedEvent,
            new SpendDecided(r.Id, r.Status, staff.UserId));
        return Results.Json(new { spendRequest = SpendJson(r), fund = posting.Fund }, Json.Options);
    }

    /// <summary>POST .../referrals/{id}/discharged: the patient went home; bed days saved and DTOC days are recorded.</summary>
    public async Task<IResult> RecordDischarge(HttpRequest request, string referralId, DurableTaskClient client)
    {
        var (officer, denied) = StaffPrincipal.Require(request, Roles.DdOfficer);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var now = time.GetUtcNow();
        var f = new FieldReader(body);
        var dischargedAt = f.Timestamp("dischargedAt", earliest: now.AddDays(-120), latest: now.AddMinutes(5));
        if (!f.IsValid) return Problems.Validation(f.Errors);
        if (await OrchestrationEvents.NotStartedProblemAsync(client, ReferralRecord.InstanceIdFor(referralId), "This referral was submitted") is { } opening)
            return opening;

        while (true)
        {
            if (await referrals.FindAsync(referralId) is not { } r) return Problems.NotFound($"There is no District Direct referral {referralId}.");
            if (r.Status == ReferralStatus.Withdrawn) return Withdrawn(r);
            if (r.Status == ReferralStatus.Discharged)
                return r.DischargedAt == dischargedAt
                    ? DischargeJson(r)
                    : Problems.Conflict("Already discharged", $"This referral recorded a discharge at {r.DischargedAt:u}.");
            if (WorkingDay.DateOf(dischargedAt!.Value) < WorkingDay.DateOf(r.FitForDischargeAt))
                return Problems.Unprocessable("Discharged before fit for discharge",
                    $"The referral says the patient was fit for discharge on {WorkingDay.DateOf(r.FitForDischargeAt):yyyy-MM-dd}; check the discharge date.",
                    new Dictionary<string, string[]> { ["dischargedAt"] = ["Must not be before the fit-for-discharge date."] });

            var outcome = DischargeOutcome.For(r.FitForDischargeAt, dischargedAt.Value, r.AverageDelayDays);
            r.Status = ReferralStatus.Discharged;
            (r.DischargedAt, r.DischargeRecordedBy, r.BedDaysSaved, r.DtocDays) = (dischargedAt, officer!.UserId, outcome.BedDaysSaved, outcome.DtocDays);
            if (!await referrals.TryReplaceAsync(r)) continue;

            await timeline.AppendAsync(new TimelineEntry(r.ReferralId, "discharged", now, "discharged", officer.Name,
                $"Discharged home {dischargedAt:yyyy-MM-dd HH:mm}: {outcome.BedDaysSaved} bed day(s) saved against a {r.AverageDelayDays}-day delay without the service; " +
                $"{outcome.DtocDays} day(s) after fit for discharge; fund spend {DistrictDirectTexts.Money(r.SpendPence)}."));
            await NotifyAsync(client, r.InstanceId, DischargeReferralWorkflow.DischargedEvent, new DischargeNotice(dischargedAt.Value, officer.UserId));
            return DischargeJson(r);
        }
    }

    /// <summary>
    /// POST .../referrals/{id}/withdraw: the patient will not go home with the service (died in hospital, no longer needs
    /// it). Every commitment goes back to the fund and the referral ends, with its reason on the timeline; refused once discharged.
    /// </summary>
    public async Task<IResult> WithdrawReferral(HttpRequest request, string referralId, DurableTaskClient client)
    {
        var (staff, denied) = StaffPrincipal.Require(request, Staff);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var reason = f.String("reason", maxLength: 1000, multiline: true);
        if (!f.IsValid) return Problems.Validation(f.Errors);
        if (await referrals.FindAsync(referralId) is not { } found) return Problems.NotFound($"There is no District Direct referral {referralId}.");
        if (await OrchestrationEvents.NotStartedProblemAsync(client, found.InstanceId, "This referral was submitted") is { } opening) return opening;

        var withdrawal = new ReferralWithdrawn(reason!, staff!.UserId, time.GetUtcNow());
        var done = await withdrawals.WithdrawAsync(referralId, withdrawal, staff.Name, request.HttpContext.RequestAborted);
        if (done.Referral is not { } r) return Problems.NotFound($"There is no District Direct referral {referralId}.");
        if (done.Conflict is not null) return Problems.Conflict(r.Status == ReferralStatus.Discharged ? "Already discharged" : "Already withdrawn", done.Conflict);
        await NotifyAsync(client, r.InstanceId, DischargeReferralWorkflow.WithdrawnEvent, withdrawal with { At = r.WithdrawnAt!.Value });
        log.LogInformation("Referral {ReferralId} withdrawn; {Cancelled} spend request(s) cancelled", r.ReferralId, done.Cancelled);
        return Results.Json(new
        {
            referralId = r.ReferralId, status = r.Status,
            withdrawal = new { reason = r.WithdrawalReason, by = r.WithdrawnByName, at = r.WithdrawnAt },
            releasedPence = done.ReleasedPence, spendPence = r.SpendPence, statusUrl = ReferralUrl(r.ReferralId),
        }, Json.Options);
    }

    private static IResult Withdrawn(ReferralRecord r) => Problems.Conflict("Withdrawn",
        $"This referral was withdrawn by {r.WithdrawnByName} at {r.WithdrawnAt:u}: {r.WithdrawalReason}");

    /// <summary>
    /// GET /api/district-direct/fund?year=2026-27: the fund's totals (this financial year when no year is given), the day
    /// it ends and, for this year, a warning in words when it ends within 30 days with the next year not open.
    /// </summary>
    public async Task<IResult> GetFund(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.DdOfficer, Roles.DdManager, Roles.Reporting, Roles.Admin).Problem is { } denied) return denied;
        string? year = request.Query["year"];
        if (year is not null && !IsFundYear(year)) return FundYearRefused();
        var current = FundYear.Of(time.GetUtcNow());
        year ??= current;
        if (await ledger.BalanceAsync(year) is not { } fund)
            return Problems.NotFound(year == current
                ? $"No District Direct fund is open for {year}: every approval is refused until a District Direct manager opens it."
                : $"There is no District Direct fund for {year}.");
        var notice = year == current ? await yearEnd.NoticeAsync() : null;
        return Results.Json(new
        {
            fund.Year, fund.TotalPence, fund.CommittedPence, fund.SpentPence, fund.AvailablePence,
            endsOn = LocalDatePattern.Iso.Format(FundYear.EndsOn(year)),
            yearEndWarning = notice?.Words,
        }, Json.Options);
    }

    /// <summary>
    /// PUT /api/district-direct/fund/{year} <c>{"totalPence"}</c> (dd-manager, admin): opens the year (201) or changes its
    /// total (200); 409 with <c>minimumPence</c> when the total would be below what is committed and spent. Audited.
    /// </summary>
    public async Task<IResult> SetFundYear(HttpRequest request, string year)
    {
        var (staff, denied) = StaffPrincipal.Require(request, Roles.DdManager, Roles.Admin);
        if (denied is not null) return denied;
        if (!IsFundYear(year)) return FundYearRefused();
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var total = f.Integer("totalPence", min: 0, max: FundLedger.MaxTotalPence);
        if (!f.IsValid) return Problems.Validation(f.Errors);

        var set = await ledger.SetTotalAsync(year, total!.Value, Audit.Actor.Of(staff!), ct: request.HttpContext.RequestAborted);
        if (set.Change == FundTotalChange.BelowCommitted)
        {
            var minimum = set.Fund!.CommittedPence + set.Fund.SpentPence;
            return Problems.Conflict("Below what is committed and spent",
                $"The {year} fund has {DistrictDirectTexts.Money(set.Fund.CommittedPence)} committed and {DistrictDirectTexts.Money(set.Fund.SpentPence)} spent: " +
                $"its total cannot be less than {DistrictDirectTexts.Money(minimum)}. Nothing was changed.",
                new Dictionary<string, object?> { ["minimumPence"] = minimum });
        }
        if (set.Change == FundTotalChange.Busy)
            return Problems.Unavailable("Spend was being approved from this fund at the same moment; nothing was changed. Try again.");
        log.LogInformation("Fund {Year} {Change} by {StaffId}", year, set.Change, staff!.UserId);
        return Results.Json(set.Fund, Json.Options, statusCode: set.Change == FundTotalChange.Opened ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static bool IsFundYear(string year) => FundYear.IsValid(year) && FundYear.StartYear(year) is >= 2000 and <= 2098;

    private static IResult FundYearRefused() =>
        Problems.Validation(new Dictionary<string, string[]> { ["year"] = ["Must be a financial year such as 2026-27."] });

    private static IResult DischargeJson(ReferralRecord r) => Results.Json(new
    {
        referralId = r.ReferralId, status = r.Status, dischargedAt = r.DischargedAt, bedDaysSaved = r.BedDaysSaved, dtocDays = r.DtocDays,
        spendPence = r.SpendPence, statusUrl = ReferralUrl(r.ReferralId),
    }, Json.Options);

    /// <summary>A spend request as every route serves it.</summary>
    internal static object SpendJson(SpendRequest s) => new
    {
        spendRequestId = s.Id, referralId = s.ReferralId, item = s.Item, supplier = s.Supplier, amountPence = s.AmountPence, status = s.Status,
        committedPence = s.CommittedPence, spentPence = s.SpentPence, releasedPence = s.ReleasedPence,
        decidedBy = s.DecidedByName, decidedAt = s.DecidedAt, decidedVia = s.DecidedVia, reason = s.Reason,
        invoicedAt = s.InvoicedAt, cancelledAt = s.CancelledAt,
    };

    /// <summary>
    /// Tells a referral's orchestration, once it has started (OrchestrationEvents, H18); one that has finished
    /// (discharged) has nothing left to hear.
    /// </summary>
    private async Task NotifyAsync(DurableTaskClient client, string instanceId, string eventName, object payload)
    {
        var instance = await OrchestrationEvents.StartedAsync(client, instanceId);
        if (instance is { IsRunning: true })
            await client.RaiseEventAsync(instanceId, eventName, payload);
        else
            log.LogInformation("Referral orchestration {InstanceId} is not running; {Event} not raised", instanceId, eventName);
    }

    private static string ReferralUrl(string referralId) => $"/api/district-direct/referrals/{referralId}";
}
