using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workflows.Ecss;

namespace Workflows.CrisisCare;

public enum DecisionResult { Done, NotFound, NotStarted, Conflict }

/// <summary>How a decision about a case went: done, or why not (<see cref="Detail"/> says what the case is instead).</summary>
public sealed record DecisionOutcome(DecisionResult Result, string? Detail = null)
{
    public static readonly DecisionOutcome Done = new(DecisionResult.Done);
    public static readonly DecisionOutcome NotFound = new(DecisionResult.NotFound);
    public static readonly DecisionOutcome NotStarted = new(DecisionResult.NotStarted);
    public static DecisionOutcome Conflict(string detail) => new(DecisionResult.Conflict, detail);
}

/// <summary>
/// What people decide about a case (the ANP's triage, a close by staff or NHS 111, a resume), for the routes and the other
/// flows alike: checked against the case, recorded, and told to the case's orchestration exactly once
/// (<see cref="CaseReports"/>), so a retry after a failure lands the decision once.
/// </summary>
public sealed class CaseDecisions(CaseStore cases, CaseReports reports, CrisisCareSettings settings, EcssSettings ecss, FamilySupport followUps)
{
    /// <summary>
    /// The ANP's decision. Only the first decision on a case counts; the same decision sent again by the same ANP (a
    /// retry) is done, and told to the case if the first try could not.
    /// </summary>
    public async Task<DecisionOutcome> TriageAsync(string caseId, TriageDecision decision, DurableTaskClient client, CancellationToken ct = default)
    {
        if (await cases.FindAsync(caseId, ct) is null) return DecisionOutcome.NotFound;
        // A case opened a moment ago may not have started yet: wait for it before recording the decision, so the
        // decision is never written where the case cannot hear it (OrchestrationEvents, H18).
        if (!await HasStartedAsync(client, caseId, ct)) return DecisionOutcome.NotStarted;

        var reportId = $"triage-{CaseReports.Key(decision.By, decision.Outcome, decision.Notes, decision.ServiceId, decision.Needs,
            decision.PreferredPlaceOfDeath, decision.CarePlan)}";
        // The ETag makes this a claim: of two ANPs deciding at once, one write succeeds. The case's own steps (an
        // overdue escalation) write the row too, so a lost race means "decided" only if the status has moved.
        var claimed = false;
        var c = await cases.ChangeAsync(caseId, c =>
        {
            if (c.Status != CaseStatus.AwaitingTriage) return claimed = false;
            (c.Status, c.TriageOutcome, c.TriageNotes, c.TriagedBy, c.TriagedAt, c.TriageReportId) =
                (CaseStatus.Triaged, decision.Outcome, decision.Notes, decision.ByName, decision.At, reportId);
            (c.PreferredPlaceOfDeath, c.CarePlanJson) = (decision.PreferredPlaceOfDeath, decision.CarePlan?.ToJson());
            return claimed = true;
        }, ct);
        if (c is null) return DecisionOutcome.NotFound;
        if (!claimed && c.TriageReportId != reportId)
            return DecisionOutcome.Conflict(c.TriageOutcome is null
                ? $"This case is {c.Status} and can no longer be triaged."
                : $"This case was triaged ({c.TriageOutcome}) by {c.TriagedBy} at {c.TriagedAt:u}.");

        var (report, _) = await reports.RecordAsync(caseId, reportId, CrisisCaseWorkflow.TriageEvent, _ => decision with { At = c.TriagedAt!.Value }, ct: ct);
        if (decision.Outcome == TriageOutcome.Ecss) await followUps.StartCarerCheckInsAsync(client, c, ct);
        await reports.DeliverAsync(client, report, ct);
        return DecisionOutcome.Done;
    }

    /// <summary>
    /// Closes a case (staff, or a cancellation from NHS 111). A close made before the case's orchestration has started
    /// is kept and told to it when it starts; a case whose orchestration has ended (referred or parked before cases waited
    /// for a close, or failed) is closed by <see cref="CaseClosureWorkflow"/>.
    /// </summary>
    public async Task<DecisionOutcome> CloseAsync(string caseId, CloseRequest request, DurableTaskClient client, CancellationToken ct = default)
    {
        if (await cases.FindAsync(caseId, ct) is not { } c) return DecisionOutcome.NotFound;
        if (c.Status == CaseStatus.Closed) return DecisionOutcome.Conflict($"This case was closed ({c.CloseReason}) at {c.ClosedAt:u}.");

        var (report, _) = await reports.RecordAsync(caseId, $"close-{CaseReports.Key(request.By, request.Reason, request.Notes, request.PlaceOfDeath)}",
            CrisisCaseWorkflow.CloseEvent, _ => request, repeatable: true, ct: ct);
        // Before the close is told to the case, so a retry after a failure here starts them (once: keyed by the case).
        if (request.Reason == CloseRequest.Died) await followUps.StartAsync(client, c, report.Payload<CloseRequest>().At, ct);
        var instance = await client.GetInstanceAsync(caseId, ct);
        // Not started yet: CaseIntake.StartAsync tells it once it has.
        if (instance is null) return DecisionOutcome.Done;
        if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Pending && !await HasStartedAsync(client, caseId, ct)) return DecisionOutcome.NotStarted;
        if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running)
            await reports.DeliverAsync(client, report, ct);
        else
        {
            var closure = CaseClosureWorkflow.InstanceId(caseId);
            if (await client.GetInstanceAsync(closure, ct) is not { RuntimeStatus: OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running })
                await client.ScheduleNewOrchestrationInstanceAsync(CaseClosureWorkflow.Name,
                    new CaseClosureStart(caseId, report.Payload<CloseRequest>(), c.EcssTeam, settings.Timings(ecss.Timings().SignpostingDelay)),
                    new StartOrchestrationOptions(InstanceId: closure), ct);
            await reports.MarkDeliveredAsync(report, ct);
        }
        return DecisionOutcome.Done;
    }

    /// <summary>
    /// A person takes over a parked case and sends it on: it carries on where it was (waiting for triage, acting on the
    /// decision, finding an HCA or bridging with its HCA, closing).
    /// </summary>
    public async Task<DecisionOutcome> ResumeAsync(string caseId, ResumeRequest request, DurableTaskClient client, CancellationToken ct = default)
    {
        if (await cases.FindAsync(caseId, ct) is not { } c) return DecisionOutcome.NotFound;
        if (c.Status != CaseStatus.NeedsAttention)
            return DecisionOutcome.Conflict($"This case is {c.Status}: only a case parked as needs-attention is resumed.");
        switch ((await client.GetInstanceAsync(caseId, ct))?.RuntimeStatus)
        {
            case null or OrchestrationRuntimeStatus.Pending:
                return DecisionOutcome.Conflict("This case has not started yet: it carries on by itself once its start succeeds.");
            case not OrchestrationRuntimeStatus.Running:
                return DecisionOutcome.Conflict("This case was parked before parked cases waited for a person and cannot be resumed: " +
                    "close it, and take the patient's next call as a new case.");
        }
        var (report, _) = await reports.RecordAsync(caseId, $"resume-{CaseReports.Key(request.By, request.Notes)}", CrisisCaseWorkflow.ResumeEvent,
            _ => request, repeatable: true, ct: ct);
        await reports.DeliverAsync(client, report, ct);
        return DecisionOutcome.Done;
    }

    private static async Task<bool> HasStartedAsync(DurableTaskClient client, string caseId, CancellationToken ct)
    {
        try
        {
            await OrchestrationEvents.StartedAsync(client, caseId, startIsQueued: true, ct);
            return true;
        }
        catch (OrchestrationNotStartedException) { return false; }
    }
}
