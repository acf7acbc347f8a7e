using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using NodaTime.Text;
using Workflows.CrisisCare;
using Workflows.Http;
using Workflows.Reporting;
using Workflows.Storage;

namespace Workflows.Ecss;

/// <summary>The ECSS HTTP routes (visits, check-ins, care package, roster), served the same by both hosts.</summary>
public sealed class EcssEndpoints(TableStore store, CaseStore cases, CaseReports reports, Roster roster, EcssActivities activities, TimeProvider time)
{
    private static readonly TimeSpan LongestVisit = TimeSpan.FromHours(12);

    /// <summary>
    /// How long after a case closes the HCA who was with it may still record a visit that began before the close: the
    /// visit at a death is often written up once the coordinator has closed the case (hazard H54).
    /// </summary>
    public static readonly TimeSpan LastVisitWindow = TimeSpan.FromHours(24);

    /// <summary>POST /api/cases/{caseId}/visits: the assigned HCA records a visit done.</summary>
    public async Task<IResult> RecordVisit(HttpRequest request, string caseId, DurableTaskClient client)
    {
        var (hca, denied) = StaffPrincipal.Require(request, Roles.Hca);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var now = time.GetUtcNow();
        var f = new FieldReader(body);
        var arrivedAt = f.Timestamp("arrivedAt", earliest: now.AddDays(-7), latest: now.AddMinutes(5));
        var leftAt = f.Timestamp("leftAt", earliest: now.AddDays(-7), latest: now.AddMinutes(5));
        var care = f.Strings("care", required: true, maxItems: VisitCare.Kinds.Length, allowed: VisitCare.Kinds);
        var notes = f.String("notes", required: false, maxLength: 2000, multiline: true) ?? "";
        if (arrivedAt is not null && leftAt is not null)
        {
            if (leftAt < arrivedAt) f.Fail("leftAt", "Must not be before arrivedAt.");
            else if (leftAt - arrivedAt > LongestVisit) f.Fail("leftAt", "A visit is at most 12 hours; record a longer stay as separate visits.");
        }
        if (!f.IsValid) return Problems.Validation(f.Errors);

        var (c, refused) = await VisitedCaseAsync(caseId, hca!, arrivedAt!.Value, now);
        if (refused is not null) return refused;
        // One visit per HCA and arrival: the same one sent again is a retry, the same arrival with other details a correction.
        var visitId = $"{arrivedAt.Value.UtcTicks:D19}-{hca!.UserId}";
        var row = new TableEntity(c!.CaseId, visitId)
        {
            ["HcaId"] = hca.UserId, ["HcaName"] = c.AssignedHcaName ?? hca.Name, ["ArrivedAt"] = arrivedAt.Value, ["LeftAt"] = leftAt!.Value,
            ["Care"] = string.Join(',', care), ["Notes"] = notes, ["RecordedAt"] = now,
        };
        var visits = store.Table(TableNames.CaseVisits);
        var corrected = false;
        try
        {
            await visits.AddEntityAsync(row);
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            var stored = (await visits.GetEntityAsync<TableEntity>(c.CaseId, visitId)).Value;
            if (VisitKey(stored) != VisitKey(row))
            {
                try
                {
                    await visits.UpdateEntityAsync(row, stored.ETag, TableUpdateMode.Replace);
                }
                catch (RequestFailedException raced) when (raced.IsPreconditionFailed())
                {
                    return Problems.Conflict("Changed meanwhile", "Another correction of this visit was recorded a moment ago: check the case's timeline and send yours again if it is still needed.");
                }
                corrected = true;
            }
        }
        // Its facts for the pilot report, written again when the same visit is sent again (after a crash between the two).
        await new ReportFacts(store).VisitAsync(c.ReceivedAt, c.CaseId, visitId, care);
        // A correction is its own report and step (its details in the id), so the timeline keeps what was sent and the
        // correction; the same visit sent again finds its report, told to the case only if no earlier try did.
        var visit = new VisitRecorded(corrected ? $"{visitId}-{StepIds.Digest(VisitKey(row))}" : visitId, hca.UserId, (string)row["HcaName"],
            arrivedAt.Value, leftAt.Value, care, notes, now, corrected);
        var (report, _) = await reports.RecordAsync(c.CaseId, $"visit-{visit.VisitId}", EcssCaseWorkflow.VisitEvent, _ => visit);
        var recorded = report.RaisedAt is null;
        if (c.Status != CaseStatus.Closed)
            await reports.DeliverAsync(client, report);
        else if (recorded)
        {
            // The case's orchestration no longer takes visits: record it as its step would.
            await activities.RecordVisitAsync(new VisitStep(new CaseStep(c.CaseId, $"{c.CaseId}-visit-{visit.VisitId}", now), c.EcssTeam ?? "", visit));
            await reports.MarkDeliveredAsync(report);
        }
        return Results.Json(new { caseId, visitId, recorded, corrected, statusUrl = StatusUrl(caseId) }, Json.Options,
            statusCode: recorded && !corrected ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>What a visit says, for telling a retry (the same) from a correction (other details).</summary>
    private static string VisitKey(TableEntity v) =>
        $"{v.GetDateTimeOffset("LeftAt")!.Value.UtcTicks}|{v.GetString("Care")}|{v.GetString("Notes")}";

    /// <summary>POST /api/cases/{caseId}/check-ins: the assigned HCA confirms the patient is supported between visits.</summary>
    public async Task<IResult> RecordCheckIn(HttpRequest request, string caseId, DurableTaskClient client)
    {
        var (hca, denied) = StaffPrincipal.Require(request, Roles.Hca);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var notes = f.String("notes", required: false, maxLength: 2000, multiline: true) ?? "";
        if (!f.IsValid) return Problems.Validation(f.Errors);
        var (c, refused) = await AssignedCaseAsync(caseId, hca!);
        if (refused is not null) return refused;
        // The same words from the same HCA within minutes are this check-in sent again, not a second one.
        var key = CaseReports.Key(hca!.UserId, notes);
        var (report, _) = await reports.RecordAsync(c!.CaseId, $"check-in-{key}", EcssCaseWorkflow.CheckInEvent,
            at => new CheckInRecorded($"{key}-{at.UtcTicks}", hca.UserId, c.AssignedHcaName ?? hca.Name, notes, at), repeatable: true);
        await reports.DeliverAsync(client, report);
        return Results.Json(new { caseId, statusUrl = StatusUrl(caseId) }, Json.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>POST /api/cases/{caseId}/package: substantive care arranged; ECSS bridging ends when it starts.</summary>
    public async Task<IResult> RecordPackage(HttpRequest request, string caseId, DurableTaskClient client)
    {
        var (staff, denied) = StaffPrincipal.Require(request, Roles.Anp, Roles.Coordinator);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var now = time.GetUtcNow();
        var f = new FieldReader(body);
        var provider = f.String("provider", maxLength: 200);
        var startsAt = f.Timestamp("startsAt", earliest: now.AddDays(-7));
        if (startsAt > now.AddDays(30)) f.Fail("startsAt", "Must be within 30 days; ECSS bridges short gaps only.");
        if (!f.IsValid) return Problems.Validation(f.Errors);
        if (await cases.FindAsync(caseId) is not { } c) return Problems.NotFound($"There is no case {caseId}.");
        if (c.Status is not (CaseStatus.AwaitingHca or CaseStatus.Bridging))
            return Problems.Conflict("Not with ECSS", $"This case is {c.Status}; a care package ends ECSS bridging, which this case is not in.");
        // The same package again within minutes (a retry, or a colleague arranging it too) is this package, not a second one.
        var key = CaseReports.Key(provider, startsAt);
        var (report, _) = await reports.RecordAsync(c.CaseId, $"package-{key}", EcssCaseWorkflow.PackageEvent,
            at => new CarePackage($"{key}-{at.UtcTicks}", provider!, startsAt!.Value, staff!.UserId, staff.Name, at), repeatable: true);
        await reports.DeliverAsync(client, report);
        return Results.Json(new { caseId, provider, startsAt, statusUrl = StatusUrl(caseId) }, Json.Options,
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>GET /api/ecss/roster/{date}/{kind}: who is on a shift and where they are based.</summary>
    public async Task<IResult> GetRoster(HttpRequest request, string date, string kind)
    {
        if (StaffPrincipal.Require(request, Roles.CrisisStaff).Problem is { } denied) return denied;
        if (ReadShift(date, kind) is not { } shift) return ShiftProblem(date, kind);
        return Results.Json(await RosterViewAsync(shift), Json.Options);
    }

    /// <summary>PUT /api/ecss/roster/{date}/{kind}: a coordinator sets the three HCAs on a shift that has not started.</summary>
    public async Task<IResult> SetRoster(HttpRequest request, string date, string kind)
    {
        var (coordinator, denied) = StaffPrincipal.Require(request, Roles.Coordinator);
        if (denied is not null) return denied;
        if (ReadShift(date, kind) is not { } shift) return ShiftProblem(date, kind);
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var ids = f.Strings("hcaIds", required: true, maxItems: 3, maxLength: 64);
        if (f.IsValid && (ids.Count != 3 || ids.Distinct(StringComparer.Ordinal).Count() != 3))
            f.Fail("hcaIds", "Name three different HCAs: ECSS has three on call per shift.");
        if (f.IsValid)
        {
            var known = (await roster.HcasAsync()).Select(h => h.Id).ToHashSet();
            for (var i = 0; i < ids.Count; i++)
                if (!known.Contains(ids[i])) f.Fail($"hcaIds[{i}]", $"There is no HCA '{ids[i]}' in the ECSS pool.");
        }
        if (!f.IsValid) return Problems.Validation(f.Errors);
        var now = time.GetUtcNow();
        if (shift.Start.ToDateTimeOffset() <= now)
            return Problems.Conflict("Shift already started",
                $"The {Shift.KindName(shift.Kind)} shift of {date} started at {EcssActivities.Clock(shift.Start.ToDateTimeOffset())}; only future shifts can be changed. Cover for tonight goes through the dispatch.");
        await roster.SetShiftAsync(shift, ids, coordinator!.Name, now);
        return Results.Json(await RosterViewAsync(shift), Json.Options);
    }

    /// <summary>The ECSS part of GET /api/cases/{caseId}: dispatch, assigned HCA, visits, package. Null before ECSS.</summary>
    public async Task<object?> CaseViewAsync(CaseRecord c)
    {
        if (c.EcssTeam is null) return null;
        var offers = new List<(DateTimeOffset? At, object View)>();
        await foreach (var o in store.Table(TableNames.HcaOffers).QueryAsync<TableEntity>(x => x.PartitionKey == c.CaseId))
            offers.Add((o.GetDateTimeOffset("OfferedAt"), new
            {
                hcaId = o.GetString("HcaId"), hcaName = o.GetString("HcaName"), round = o.GetInt32("Round"),
                offeredAt = o.GetDateTimeOffset("OfferedAt"), expiresAt = o.GetDateTimeOffset("ExpiresAt"),
                outcome = o.GetString("Outcome"), answeredAt = o.GetDateTimeOffset("AnsweredAt"),
            }));
        var visits = new List<object>();
        await foreach (var v in store.Table(TableNames.CaseVisits).QueryAsync<TableEntity>(x => x.PartitionKey == c.CaseId))
            visits.Add(new
            {
                visitId = v.RowKey, hcaId = v.GetString("HcaId"), hcaName = v.GetString("HcaName"),
                arrivedAt = v.GetDateTimeOffset("ArrivedAt"), leftAt = v.GetDateTimeOffset("LeftAt"),
                care = v.GetString("Care").Split(',', StringSplitOptions.RemoveEmptyEntries), notes = v.GetString("Notes"),
            });
        return new
        {
            team = c.EcssTeam,
            dispatch = new
            {
                state = c.DispatchState, round = c.DispatchRound, offeredTo = c.OfferedTo, offeredAt = c.OfferedAt,
                nextRoundAt = c.NextOfferRoundAt,
                offers = offers.OrderBy(o => o.At).Select(o => o.View),
            },
            hca = c.AssignedHca is null ? null : new { id = c.AssignedHca, name = c.AssignedHcaName },
            bridgingSince = c.BridgingSince,
            lastContactAt = c.LastContactAt,
            package = c.PackageProvider is null ? null : new { provider = c.PackageProvider, startsAt = c.PackageStartsAt },
            visits,
        };
    }

    private async Task<object> RosterViewAsync(Shift shift)
    {
        var on = await roster.OnShiftAsync(shift);
        var hcas = (await roster.HcasAsync()).ToDictionary(h => h.Id);
        return new
        {
            shift = shift.Key,
            date = LocalDatePattern.Iso.Format(shift.Date),
            kind = Shift.KindName(shift.Kind),
            startsAt = shift.Start.ToDateTimeOffset(),
            endsAt = shift.End.ToDateTimeOffset(),
            hours = shift.Length.TotalHours,
            source = on.Source,
            setBy = on.SetBy,
            setAt = on.SetAt,
            hcas = on.HcaIds.Select(id => hcas.TryGetValue(id, out var h)
                ? new { id, name = h.Name, homeDistrict = h.HomeDistrict }
                : new { id, name = "(not in the pool)", homeDistrict = "" }),
            // Whom a coordinator may put on a shift.
            pool = hcas.Values.OrderBy(h => h.Name, StringComparer.Ordinal).Select(h => new { id = h.Id, name = h.Name, homeDistrict = h.HomeDistrict }),
        };
    }

    private static Shift? ReadShift(string date, string kind) =>
        LocalDatePattern.Iso.Parse(date) is { Success: true } d && Shift.ParseKind(kind) is { } k ? new Shift(d.Value, k) : null;

    private static IResult ShiftProblem(string date, string kind)
    {
        var errors = new Dictionary<string, string[]>();
        if (!LocalDatePattern.Iso.Parse(date).Success) errors["date"] = ["Must be a date as yyyy-MM-dd."];
        if (Shift.ParseKind(kind) is null) errors["kind"] = ["Must be day or night."];
        return Problems.Validation(errors, "Name the shift as /api/ecss/roster/{yyyy-MM-dd}/{day|night}.");
    }

    /// <summary>
    /// The case a visit may be recorded on: bridged with the caller as its HCA, or closed within
    /// <see cref="LastVisitWindow"/> with the caller its last HCA and the visit begun before the close.
    /// </summary>
    private async Task<(CaseRecord? Case, IResult? Problem)> VisitedCaseAsync(string caseId, StaffPrincipal hca, DateTimeOffset arrivedAt, DateTimeOffset now)
    {
        if (await cases.FindAsync(caseId) is not { Status: CaseStatus.Closed, ClosedAt: { } closedAt } c) return await AssignedCaseAsync(caseId, hca);
        if (!string.Equals(c.AssignedHca, hca.UserId, StringComparison.Ordinal))
            return (null, Problems.Forbidden("Only the HCA who was with this case can record its visits."));
        if (arrivedAt > closedAt)
            return (null, Problems.Conflict("Case closed", $"This case closed at {EcssActivities.Clock(closedAt)}: only a visit that began before then can be recorded on it."));
        if (now - closedAt > LastVisitWindow)
            return (null, Problems.Conflict("Case closed", $"This case closed more than {LastVisitWindow.TotalHours:0} hours ago: tell the coordinator about the visit instead."));
        return (c, null);
    }

    /// <summary>The case, if the caller is its assigned HCA; otherwise the problem to answer with.</summary>
    private async Task<(CaseRecord? Case, IResult? Problem)> AssignedCaseAsync(string caseId, StaffPrincipal hca)
    {
        if (await cases.FindAsync(caseId) is not { } c) return (null, Problems.NotFound($"There is no case {caseId}."));
        if (c.Status != CaseStatus.Bridging || c.AssignedHca is null)
            return (null, Problems.Conflict("No HCA assigned", $"This case is {c.Status}: visits are recorded while an HCA is assigned."));
        if (!string.Equals(c.AssignedHca, hca.UserId, StringComparison.Ordinal))
            return (null, Problems.Forbidden("Only the HCA assigned to this case can record its visits and check-ins."));
        return (c, null);
    }

    private static string StatusUrl(string caseId) => $"/api/cases/{caseId}";
}
