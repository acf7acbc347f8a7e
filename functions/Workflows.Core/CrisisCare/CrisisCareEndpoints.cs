using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Workflows.CareDirectory;
using Workflows.Ecss;
using Workflows.Http;

namespace Workflows.CrisisCare;

/// <summary>The crisis-care HTTP routes, served the same by the Functions app and the local host.</summary>
public sealed class CrisisCareEndpoints(
    CaseIntake intake, WebhookSignature signature, CaseStore cases, CaseTimeline timeline,
    ServiceDirectory directory, CaseDecisions decisions, CrisisCareSettings settings, TimeProvider time, EcssEndpoints ecss)
{
    /// <summary>POST /api/intake/111: a signed palliative call from NHS 111.</summary>
    public async Task<IResult> Intake111(HttpRequest request, DurableTaskClient client)
    {
        var (raw, problem) = await RequestBody.ReadRawAsync(request);
        if (problem is not null) return problem;
        if (signature.Verify(request, raw!) is { } unsigned) return unsigned;
        var (body, invalid) = RequestBody.Parse(raw!);
        if (invalid is not null) return invalid;
        var (call, rejected) = CallReport.Read(body, time.GetUtcNow());
        if (rejected is not null) return rejected;

        var accepted = await intake.AcceptAsync(call!, client, request.HttpContext.RequestAborted);
        return Results.Json(new { caseId = accepted.CaseId, status = accepted.Status, statusUrl = StatusUrl(accepted.CaseId) },
            Json.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>GET /api/triage/queue: cases waiting for an ANP, longest wait first.</summary>
    public async Task<IResult> TriageQueue(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.Anp, Roles.Coordinator).Problem is { } denied) return denied;
        var now = time.GetUtcNow();
        var target = TimeSpan.FromMinutes(settings.TriageResponseMinutes);
        var waiting = new List<CaseRecord>();
        // Parked cases too: a person must take them over, and this is the list the ANP and coordinator watch.
        await foreach (var c in cases.AwaitingStaffAsync())
            waiting.Add(c);
        var items = waiting.OrderBy(c => c.ReceivedAt).Select(c => new
        {
            caseId = c.CaseId,
            receivedAt = c.ReceivedAt,
            minutesWaited = (int)Math.Floor((now - c.ReceivedAt).TotalMinutes),
            overdue = now - c.ReceivedAt > target,
            escalations = c.Escalations,
            status = c.Status,
            needsAttention = c.AttentionAt is null ? null : new { reason = c.AttentionReason, at = c.AttentionAt },
            callerRole = c.CallerRole,
            reason = c.Reason,
            postcode = c.Postcode,
            patientName = c.PatientName,
            statusUrl = StatusUrl(c.CaseId),
        });
        // "at" lets the page keep counting minutes waited from the server's clock when a later refresh fails.
        return Results.Json(new { at = now, responseTargetMinutes = settings.TriageResponseMinutes, cases = items }, Json.Options);
    }

    private static readonly string[] AfterTriage = [CaseStatus.Triaged, CaseStatus.Referred, CaseStatus.AwaitingHca, CaseStatus.Bridging];

    /// <summary>
    /// GET /api/cases?status=: cases triaged and not yet closed, oldest call first. A referred case stays open until
    /// someone closes it; a bridged one until its care package starts or it is closed.
    /// </summary>
    public async Task<IResult> OpenCases(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.Anp, Roles.Coordinator).Problem is { } denied) return denied;
        var asked = ((string?)request.Query["status"] ?? string.Join(',', AfterTriage))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (asked.Length == 0 || asked.Any(s => !AfterTriage.Contains(s)))
            return Problems.Validation(new Dictionary<string, string[]> { ["status"] = [$"Use one or more of: {string.Join(", ", AfterTriage)}."] });

        var open = new List<CaseRecord>();
        await foreach (var c in cases.InStatusAsync(asked, request.HttpContext.RequestAborted)) open.Add(c);
        return Results.Json(new
        {
            cases = open.OrderBy(c => c.ReceivedAt).Select(c => new
            {
                caseId = c.CaseId, status = c.Status, receivedAt = c.ReceivedAt, patientName = c.PatientName, postcode = c.Postcode,
                triageOutcome = c.TriageOutcome, triagedAt = c.TriagedAt,
                referredTo = c.ReferralJson is null ? null : JsonSerializer.Deserialize<ServiceReferral>(c.ReferralJson, Json.Options)?.ServiceName,
                hca = c.AssignedHca is null ? null : new { id = c.AssignedHca, name = c.AssignedHcaName ?? c.AssignedHca },
                dispatchState = c.DispatchState, bridgingSince = c.BridgingSince, lastContactAt = c.LastContactAt,
                package = c.PackageProvider is null ? null : new { provider = c.PackageProvider, startsAt = c.PackageStartsAt },
                statusUrl = StatusUrl(c.CaseId),
            }),
        }, Json.Options);
    }

    /// <summary>GET /api/cases/{caseId}: the case and its timeline.</summary>
    public async Task<IResult> GetCase(HttpRequest request, string caseId)
    {
        var (staff, denied) = StaffPrincipal.Require(request, Roles.CrisisStaff);
        if (denied is not null) return denied;
        if (await cases.FindAsync(caseId) is not { } c) return Problems.NotFound($"There is no case {caseId}.");
        // The offer text promises details once the HCA accepts: until then an offer shows where, not who (HCA today page).
        if (!staff!.IsIn(Roles.Anp, Roles.Coordinator) && !string.Equals(c.AssignedHca, staff.UserId, StringComparison.Ordinal))
            return Problems.Forbidden(string.Equals(c.OfferedTo, staff.UserId, StringComparison.Ordinal)
                ? "You are being offered this visit: its details open once you accept it. Answer the offer from the text or the HCA today page."
                : "An HCA sees only the cases they have accepted.");
        var events = await timeline.ReadAsync(c.CaseId);
        return Results.Json(new
        {
            caseId = c.CaseId,
            callId = c.CallId,
            status = c.Status,
            receivedAt = c.ReceivedAt,
            callerRole = c.CallerRole,
            callbackNumber = c.CallbackNumber,
            reason = c.Reason,
            patient = new { nhsNumber = c.NhsNumber, name = c.PatientName, dateOfBirth = c.DateOfBirth, address = c.Address, postcode = c.Postcode, phone = c.PatientPhone },
            familyContacts = c.FamilyContacts,
            triage = c.TriageOutcome is null ? null : new { outcome = c.TriageOutcome, notes = c.TriageNotes, by = c.TriagedBy, at = c.TriagedAt },
            whatMatters = WhatMatters.Of(c),
            referral = c.ReferralJson is null ? (JsonElement?)null : JsonSerializer.Deserialize<JsonElement>(c.ReferralJson),
            assignedHca = c.AssignedHca,
            escalations = c.Escalations,
            needsAttention = c.AttentionAt is null ? null : new { reason = c.AttentionReason, at = c.AttentionAt },
            ecss = await ecss.CaseViewAsync(c),
            closed = c.ClosedAt is null ? null : new { reason = c.CloseReason, at = c.ClosedAt, placeOfDeath = c.PlaceOfDeath },
            timeline = events.Select(e => new { at = e.At, kind = e.Kind, actor = e.Actor, summary = e.Summary }),
        }, Json.Options);
    }

    /// <summary>POST /api/cases/{caseId}/triage: the ANP's decision. Only the first decision on a case counts.</summary>
    public async Task<IResult> Triage(HttpRequest request, string caseId, DurableTaskClient client)
    {
        var (anp, denied) = StaffPrincipal.Require(request, Roles.Anp);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;

        var f = new FieldReader(body);
        var outcome = f.OneOf("outcome", TriageOutcome.All);
        var notes = f.String("notes", maxLength: 2000, multiline: true);
        var serviceId = f.Identifier("serviceId", required: false);
        var needs = f.Strings("needs", allowed: Needs.Known);
        var preferredPlace = f.OneOf("preferredPlaceOfDeath", PlaceOfDeath.All, required: false);
        var carePlan = EndOfLifeCarePlan.Read(f);
        if (outcome == TriageOutcome.Refer && serviceId is null && needs.Count == 0 && f.IsValid)
            f.Fail("needs", "A referral needs a serviceId or at least one need.");
        if (!f.IsValid) return Problems.Validation(f.Errors);
        if (serviceId is not null && await directory.FindAsync(serviceId) is null)
            return Problems.Unprocessable("Unknown service", $"There is no service '{serviceId}' in the directory.",
                new Dictionary<string, string[]> { ["serviceId"] = ["Not in the directory."] });

        var decided = await decisions.TriageAsync(caseId, new TriageDecision(outcome!, notes!, serviceId, needs, anp!.UserId, anp.Name, time.GetUtcNow(),
            preferredPlace, carePlan),
            client, request.HttpContext.RequestAborted);
        return Refused(decided, caseId, "Already triaged") ?? Results.Json(new { caseId, status = CaseStatus.Triaged, outcome, statusUrl = StatusUrl(caseId) },
            Json.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>POST /api/cases/{caseId}/close: the case ends (died, admitted, package, resolved, cancelled, other).</summary>
    public async Task<IResult> Close(HttpRequest request, string caseId, DurableTaskClient client)
    {
        var (staff, denied) = StaffPrincipal.Require(request, Roles.Anp, Roles.Coordinator);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var reason = f.OneOf("reason", CloseRequest.Reasons);
        var notes = f.String("notes", required: false, maxLength: 2000, multiline: true) ?? "";
        var place = f.OneOf("placeOfDeath", PlaceOfDeath.All, required: false);
        if (place is not null && reason is not null && reason != CloseRequest.Died)
            f.Fail("placeOfDeath", "Only a case closed as died records a place of death.");
        if (!f.IsValid) return Problems.Validation(f.Errors);

        var closed = await decisions.CloseAsync(caseId, new CloseRequest(reason!, notes, staff!.UserId, staff.Name, time.GetUtcNow(), place),
            client, request.HttpContext.RequestAborted);
        return Refused(closed, caseId, "Already closed") ?? Results.Json(new { caseId, status = "closing", statusUrl = StatusUrl(caseId) },
            Json.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>POST /api/cases/{caseId}/resume: a person takes over a case parked as needs-attention and sends it on where it was.</summary>
    public async Task<IResult> Resume(HttpRequest request, string caseId, DurableTaskClient client)
    {
        var (staff, denied) = StaffPrincipal.Require(request, Roles.Anp, Roles.Coordinator);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var notes = f.String("notes", required: false, maxLength: 2000, multiline: true) ?? "";
        if (!f.IsValid) return Problems.Validation(f.Errors);

        var resumed = await decisions.ResumeAsync(caseId, new ResumeRequest(notes, staff!.UserId, staff.Name, time.GetUtcNow()),
            client, request.HttpContext.RequestAborted);
        return Refused(resumed, caseId, "Not parked") ?? Results.Json(new { caseId, status = "resuming", statusUrl = StatusUrl(caseId) },
            Json.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The problem to answer when a decision was not taken; null when it was.</summary>
    private static IResult? Refused(DecisionOutcome outcome, string caseId, string conflict) => outcome.Result switch
    {
        DecisionResult.NotFound => Problems.NotFound($"There is no case {caseId}."),
        DecisionResult.NotStarted => Problems.Unavailable(
            $"Case {caseId} was opened a moment ago and has not started yet; nothing was recorded. Try again in a few seconds."),
        DecisionResult.Conflict => Problems.Conflict(conflict, outcome.Detail!),
        _ => null,
    };

    /// <summary>GET /api/directory/open-now?need=: services open now for a need, with their referral route.</summary>
    public async Task<IResult> OpenNow(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.AllStaff).Problem is { } denied) return denied;
        string? need = request.Query["need"];
        if (need is not null && !Needs.Known.Contains(need))
            return Problems.Validation(new Dictionary<string, string[]> { ["need"] = [$"Must be one of: {string.Join(", ", Needs.Known)}."] });
        var now = time.GetUtcNow();
        var open = await directory.OpenNowAsync(need, now);
        return Results.Json(new { need, at = now, services = open }, Json.Options);
    }


    private static string StatusUrl(string caseId) => $"/api/cases/{caseId}";
}
