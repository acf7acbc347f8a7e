using Microsoft.DurableTask;
using Workflows.Ecss;

namespace Workflows.CrisisCare;

/// <summary>
/// A case's input; <see cref="Ecss"/> is set when an ECSS case continues as new and resumes there, with
/// <see cref="StepsTaken"/> so the new execution's step ids follow on from the last instead of repeating them.
/// </summary>
public sealed record CrisisCaseStart(string CaseId, DateTimeOffset ReceivedAt, CaseTimings Timings, EcssCase? Ecss = null, int StepsTaken = 0);

/// <summary>The ANP's decision, raised on the case's orchestration by the triage route.</summary>
public sealed record TriageDecision(string Outcome, string Notes, string? ServiceId, IReadOnlyList<string> Needs,
    string By, string ByName, DateTimeOffset At);

/// <summary>A request to close a case (coordinator, ANP, or a 111 cancellation), raised on its orchestration.</summary>
public sealed record CloseRequest(string Reason, string Notes, string By, string ByName, DateTimeOffset At)
{
    public static readonly string[] Reasons = ["died", "admitted", "package", "resolved", "cancelled", "other"];
}

/// <summary>
/// One crisis case, end to end: opened from a 111 call, waiting for the ANP with a response timer that
/// escalates to the coordinator until the case is triaged, then acting on the ANP's decision; an ECSS referral goes
/// on in <see cref="EcssCaseWorkflow"/> (find an HCA, bridge until substantive care lands).
/// Deterministic: time comes from the context, every effect from an activity.
/// </summary>
public static class CrisisCaseWorkflow
{
    public const string Name = "CrisisCase";
    public const string TriageEvent = "Triage";
    public const string CloseEvent = "Close";

    public static async Task<string> RunAsync(TaskOrchestrationContext context, CrisisCaseStart start)
    {
        // One counter for the whole execution, the parking step included: a second counter would reuse ids.
        var step = new CaseSteps(context, start.CaseId, start.StepsTaken);
        try
        {
            return await RunCaseAsync(context, start, step);
        }
        catch (TaskFailedException e)
        {
            // A step failed after all its retries: park the case where staff look, instead of failing where nobody does.
            await context.CallActivityAsync(CaseActivities.ParkCase,
                new ParkStep(step.Next(), e.TaskName, e.FailureDetails?.ErrorMessage ?? e.Message),
                WorkflowRetry.Steps(start.Timings));
            return CaseStatus.NeedsAttention;
        }
    }

    private static async Task<string> RunCaseAsync(TaskOrchestrationContext context, CrisisCaseStart start, CaseSteps step)
    {
        var retry = WorkflowRetry.Steps(start.Timings);
        var close = context.WaitForExternalEvent<CloseRequest>(CloseEvent);
        if (start.Ecss is { } resumed) return await EcssCaseWorkflow.RunAsync(context, start, resumed, close, step);

        await context.CallActivityAsync(CaseActivities.OpenCase, step.Next(), retry);

        var decision = await AwaitTriageAsync(context, start, step, close);
        if (decision is null)
        {
            var request = await close;
            await context.CallActivityAsync(CaseActivities.CloseCase,
                new CloseStep(step.Next(), request.Reason, request.ByName, $"Closed before triage. {request.Notes}".TrimEnd()), retry);
            await BereavementSignposting.FollowUpAsync(context, step,
                BereavementSignposting.SendTime(request, context.CurrentUtcDateTime, start.Timings.SignpostingDelay), retry);
            return CaseStatus.Closed;
        }

        await context.CallActivityAsync(CaseActivities.RecordTriage, new TriageStep(step.Next(), decision), retry);

        switch (decision.Outcome)
        {
            case TriageOutcome.Advice:
            case TriageOutcome.Prescription:
                await context.CallActivityAsync(CaseActivities.CloseCase,
                    new CloseStep(step.Next(), decision.Outcome, decision.ByName, "Resolved by the SPOC ANP."), retry);
                return CaseStatus.Closed;

            case TriageOutcome.Refer:
                await context.CallActivityAsync<ServiceReferral>(CaseActivities.ReferToService,
                    new ReferStep(step.Next(), decision.ServiceId, decision.Needs, decision.ByName), retry);
                return CaseStatus.Referred;

            default:
                await context.CallActivityAsync(CaseActivities.AwaitHca, step.Next(), retry);
                var timings = await context.CallActivityAsync<EcssTimings>(EcssActivities.StartEcss, step.Next(), retry);
                return await EcssCaseWorkflow.RunAsync(context, start, new EcssCase(timings, EcssCase.Finding), close, step);
        }
    }

    /// <summary>
    /// Whole minutes a call has waited when the timer due at <paramref name="due"/> wakes the case, counted to the due
    /// time at least: the engine can wake a case a fraction of a second early, and the coordinator must never read
    /// "waited 14 min" against a 15-minute target.
    /// </summary>
    public static int MinutesWaited(DateTimeOffset receivedAt, DateTime due, DateTime now) =>
        (int)Math.Floor(((now > due ? now : due) - receivedAt.UtcDateTime).TotalMinutes);

    /// <summary>
    /// Waits for the ANP; past the response target, escalates and keeps escalating on an interval.
    /// Null when the case is closed before anyone triages it.
    /// </summary>
    private static async Task<TriageDecision?> AwaitTriageAsync(TaskOrchestrationContext context, CrisisCaseStart start,
        CaseSteps step, Task<CloseRequest> close)
    {
        var triage = context.WaitForExternalEvent<TriageDecision>(TriageEvent);
        var due = start.ReceivedAt.UtcDateTime + start.Timings.TriageResponse;
        var escalations = 0;
        while (true)
        {
            using var cancelTimer = new CancellationTokenSource();
            var wakeAt = due > context.CurrentUtcDateTime ? due : context.CurrentUtcDateTime;
            var timer = context.CreateTimer(wakeAt, cancelTimer.Token);
            var first = await Task.WhenAny(triage, close, timer);
            if (first != timer)
            {
                cancelTimer.Cancel();
                return first == triage ? await triage : null;
            }
            escalations++;
            await context.CallActivityAsync(CaseActivities.EscalateTriage,
                new EscalationStep(step.For($"triage-overdue-{escalations}"), escalations, MinutesWaited(start.ReceivedAt, wakeAt, context.CurrentUtcDateTime)),
                WorkflowRetry.Steps(start.Timings));
            due = context.CurrentUtcDateTime + start.Timings.TriageEscalationRepeat;
        }
    }
}

/// <summary>
/// Gives each step of a case (or of one of its dispatch rounds) an id that is the same on every replay and on every
/// re-execution after a crash (<see cref="StepIds"/>), and the episode's time. <paramref name="taken"/> is the count
/// an earlier execution of the same instance reached, carried across continue-as-new.
/// </summary>
public sealed class CaseSteps(TaskOrchestrationContext context, string caseId, int taken = 0)
{
    public int Taken { get; private set; } = taken;

    public CaseStep Next() => new(caseId, StepIds.For(context.InstanceId, ++Taken), context.CurrentUtcDateTime);

    /// <summary>
    /// A step keyed by what it is rather than the count, and not counted: one that records what staff reported (a visit,
    /// a check-in, a package) or one a timer set off (an escalation). An episode run again after a crash can take its
    /// messages in another order (a timer that fell due while the host was down, before the triage that came in before
    /// the crash), so a counted id would shift, for this step and every counted step after it (H17).
    /// </summary>
    public CaseStep For(string key) => new(caseId, $"{context.InstanceId}-{key}", context.CurrentUtcDateTime);
}

/// <summary>What every activity of a case is told: which case, which step (an idempotency key), and when.</summary>
public sealed record CaseStep(string CaseId, string StepId, DateTimeOffset At);

public sealed record TriageStep(CaseStep Step, TriageDecision Decision);
public sealed record CloseStep(CaseStep Step, string Reason, string By, string Summary);
public sealed record ReferStep(CaseStep Step, string? ServiceId, IReadOnlyList<string> Needs, string By);
public sealed record EscalationStep(CaseStep Step, int Count, int MinutesWaited);
public sealed record ParkStep(CaseStep Step, string FailedStep, string Error);
