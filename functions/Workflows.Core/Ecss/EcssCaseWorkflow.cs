using Microsoft.DurableTask;
using Workflows.CrisisCare;

namespace Workflows.Ecss;

/// <summary>Where a case stands in ECSS, carried across ContinueAsNew so a bridge open for weeks keeps a short history.</summary>
public sealed record EcssCase(
    EcssTimings Timings,
    string Phase,
    OfferedHca? Hca = null,
    int Rounds = 0,
    string? DispatchShift = null,
    string DispatchReason = "referral",
    DateTimeOffset? RetryAt = null,
    DateTimeOffset? BridgingSince = null,
    DateTimeOffset? CheckInDueAt = null,
    DateTimeOffset? OverLimitDueAt = null,
    CarePackage? Package = null,
    string? LastHandoverShift = null)
{
    public const string Finding = "finding-hca";
    public const string Bridging = "bridging";
}

/// <summary>
/// The ECSS chapter of a crisis case, run by the case's orchestration after the ANP refers it: find an HCA on the
/// shift (a dispatch sub-orchestration per round; unfilled rounds escalate and retry), then bridge: visits and
/// check-ins keep a clock that escalates when it runs out, a bridge past its limit is escalated daily, a shift
/// handover sends the case back to dispatch for the incoming shift, and a care package or a close ends it.
/// </summary>
public static class EcssCaseWorkflow
{
    public const string VisitEvent = "Visit";
    public const string CheckInEvent = "CheckIn";
    public const string PackageEvent = "Package";
    public const string HandoverEvent = "Handover";

    /// <summary>Steps handled before the case continues as new (only when no event is waiting and no dispatch runs).</summary>
    private const int StepsPerExecution = 20;

    public static async Task<string> RunAsync(TaskOrchestrationContext context, CrisisCaseStart start, EcssCase state, Task<CloseRequest> close,
        CaseSteps step, CaseProgress progress)
    {
        var caseId = start.CaseId;
        var t = state.Timings;
        var stepRetry = WorkflowRetry.Steps(start.Timings);
        // One waiter per event, renewed only after it fires: an abandoned waiter would swallow the next event.
        var visit = context.WaitForExternalEvent<VisitRecorded>(VisitEvent);
        var checkIn = context.WaitForExternalEvent<CheckInRecorded>(CheckInEvent);
        var package = context.WaitForExternalEvent<CarePackage>(PackageEvent);
        var handover = context.WaitForExternalEvent<HandoverRequest>(HandoverEvent);
        Task<DispatchResult>? dispatch = null;
        var handled = 0;
        // Version 2 on: the check-in clock runs from the report, the same whenever the orchestration gets to it.
        var clockFromReport = OrchestrationVersions.IsAtLeast(context, OrchestrationVersions.CheckInClockFromReport);

        async Task<DispatchResult> StopDispatchAsync(string reason)
        {
            context.SendEvent(HcaDispatchWorkflow.InstanceId(caseId, state.Rounds), HcaDispatchWorkflow.StopEvent, new StopDispatch(reason));
            var result = await dispatch!;
            dispatch = null;
            // Accepted just before the stop arrived: the HCA is released when the case's ECSS part ends.
            if (result is { Outcome: DispatchOutcome.Accepted, Hca: { } hca }) state = state with { Hca = hca };
            return result;
        }

        while (true)
        {
            var now = Now(context);
            if (dispatch is null && state.Package is { } due && due.StartsAt <= now)
            {
                await context.CallActivityAsync<bool>(EcssActivities.EndBridging, new EndBridgingStep(step.Next(), t.Team, "package"), stepRetry);
                await context.CallActivityAsync<bool>(CaseActivities.CloseCase, new CloseStep(step.Next(), "package", due.ByName,
                    $"Substantive care by {due.Provider} is in place."), stepRetry);
                return CaseStatus.Closed;
            }

            if (dispatch is null && state.Phase == EcssCase.Finding && (state.RetryAt is null || state.RetryAt <= now))
            {
                var round = state.Rounds + 1;
                state = state with { Rounds = round, RetryAt = null };
                dispatch = context.CallSubOrchestratorAsync<DispatchResult>(HcaDispatchWorkflow.Name,
                    new DispatchStart(caseId, t.Team, state.DispatchShift ?? Shift.At(now).Key, round, t.OfferTimeout, state.DispatchReason,
                        start.Timings.StepAttempts, start.Timings.StepFirstRetry),
                    new SubOrchestrationOptions { InstanceId = HcaDispatchWorkflow.InstanceId(caseId, round) });
            }

            var wakeAt = Earliest(
                state.Phase == EcssCase.Bridging ? state.CheckInDueAt : null,
                state.OverLimitDueAt,
                state.Package?.StartsAt,
                dispatch is null ? state.RetryAt : null);
            using var cancelTimer = new CancellationTokenSource();
            var timer = wakeAt is { } w ? context.CreateTimer((w > now ? w : now).UtcDateTime, cancelTimer.Token) : null;
            // Where the case stands, for parking should a step fail from here.
            progress.Ecss = state;
            progress.Dispatch = dispatch is null ? null : (HcaDispatchWorkflow.InstanceId(caseId, state.Rounds), dispatch);
            var waits = new List<Task> { close, visit, checkIn, package, handover };
            if (dispatch is not null) waits.Add(dispatch);
            if (timer is not null) waits.Add(timer);

            var first = await Task.WhenAny(waits);
            if (first != timer) cancelTimer.Cancel();
            handled++;
            now = Now(context);

            if (first == close)
            {
                var request = await close;
                if (dispatch is not null) await StopDispatchAsync("case closed");
                return await CloseAsync(context, start, step, progress, state, request);
            }

            if (first == dispatch)
            {
                var result = await dispatch!;
                dispatch = null;
                if (result is { Outcome: DispatchOutcome.Accepted, Hca: { } hca })
                {
                    await context.CallActivityAsync<bool>(EcssActivities.AssignHca, new AssignStep(step.Next(), t.Team, hca), stepRetry);
                    state = state with
                    {
                        Phase = EcssCase.Bridging, Hca = hca, DispatchShift = null, DispatchReason = "retry",
                        BridgingSince = state.BridgingSince ?? now, CheckInDueAt = now + t.CheckIn,
                        OverLimitDueAt = state.OverLimitDueAt ?? now + t.BridgingLimit,
                    };
                }
                else
                {
                    var retryAt = now + t.RetryInterval;
                    await context.CallActivityAsync<bool>(EcssActivities.EscalateUnfilled, new UnfilledStep(step.Next(), state.Rounds, result.Offered, retryAt), stepRetry);
                    state = state with { RetryAt = retryAt, DispatchShift = null, DispatchReason = "retry" };
                }
            }
            else if (first == visit)
            {
                var v = await visit;
                visit = context.WaitForExternalEvent<VisitRecorded>(VisitEvent);
                await context.CallActivityAsync<bool>(EcssActivities.RecordVisit, new VisitStep(step.For($"visit-{v.VisitId}"), t.Team, v), stepRetry);
                state = state with { CheckInDueAt = (clockFromReport ? v.RecordedAt : now) + t.CheckIn };
            }
            else if (first == checkIn)
            {
                var c = await checkIn;
                checkIn = context.WaitForExternalEvent<CheckInRecorded>(CheckInEvent);
                await context.CallActivityAsync<bool>(EcssActivities.RecordCheckIn, new CheckInStep(step.For($"check-in-{c.Id}"), c), stepRetry);
                state = state with { CheckInDueAt = (clockFromReport ? c.At : now) + t.CheckIn };
            }
            else if (first == package)
            {
                var p = await package;
                package = context.WaitForExternalEvent<CarePackage>(PackageEvent);
                await context.CallActivityAsync<bool>(EcssActivities.RecordPackage, new PackageStep(step.For($"package-{p.Id}"), p), stepRetry);
                state = state with { Package = p };
                if (p.StartsAt <= now && dispatch is not null) await StopDispatchAsync("care in place");
            }
            else if (first == handover)
            {
                var h = await handover;
                handover = context.WaitForExternalEvent<HandoverRequest>(HandoverEvent);
                // Once per boundary, and only for the HCA the case has now: a repeated or stale handover changes nothing.
                if (state.Phase == EcssCase.Bridging && state.Hca?.HcaId == h.FromHcaId && state.LastHandoverShift != h.ShiftKey)
                {
                    await context.CallActivityAsync<bool>(EcssActivities.HandOver, new HandoverStep(step.Next(), t.Team, h.FromHcaId, h.ShiftKey), stepRetry);
                    state = state with
                    {
                        Phase = EcssCase.Finding, Hca = null, DispatchShift = h.ShiftKey, DispatchReason = "handover",
                        RetryAt = null, CheckInDueAt = null, LastHandoverShift = h.ShiftKey,
                    };
                }
            }
            else
            {
                if (state.Phase == EcssCase.Bridging && state.CheckInDueAt is { } checkInDue && checkInDue <= now)
                {
                    await context.CallActivityAsync<bool>(EcssActivities.EscalateCheckIn, new CheckInOverdueStep(step.For($"check-in-overdue-{checkInDue:yyyyMMddHHmmssfff}"), state.Hca?.HcaId, checkInDue), stepRetry);
                    state = state with { CheckInDueAt = now + t.CheckIn };
                }
                if (state.OverLimitDueAt is { } overLimit && overLimit <= now && state.BridgingSince is { } since)
                {
                    await context.CallActivityAsync<bool>(EcssActivities.EscalateOverLimit, new OverLimitStep(step.For($"over-limit-{overLimit:yyyyMMddHHmmss}"), since, t.BridgingLimit), stepRetry);
                    state = state with { OverLimitDueAt = overLimit + t.OverLimitRepeat };
                }
                if (state.Package is { } p && p.StartsAt <= now && dispatch is not null) await StopDispatchAsync("care in place");
            }

            if (handled >= StepsPerExecution && dispatch is null &&
                !close.IsCompleted && !visit.IsCompleted && !checkIn.IsCompleted && !package.IsCompleted && !handover.IsCompleted)
            {
                // Events not yet delivered are carried into the new execution, and the step count so its ids follow on.
                // The new execution runs this code's version: a bridge open for weeks takes up a deploy's changes here.
                context.ContinueAsNew(new ContinueAsNewOptions
                {
                    NewInput = start with { Ecss = state, StepsTaken = step.Taken, Resumed = null },
                    PreserveUnprocessedEvents = true,
                    NewVersion = OrchestrationVersions.Current,
                });
                return state.Phase;
            }
        }
    }

    /// <summary>Closes an ECSS case as a person asked: bridging ends (its HCA freed), then the case, then bereavement signposting.</summary>
    public static async Task<string> CloseAsync(TaskOrchestrationContext context, CrisisCaseStart start, CaseSteps step, CaseProgress progress,
        EcssCase state, CloseRequest request)
    {
        progress.Closes(request, step);
        await CrisisCaseWorkflow.CloseStepsAsync(context, step, request, state.Timings.Team, request.Notes,
            state.Timings.SignpostingDelay, WorkflowRetry.Steps(start.Timings));
        return CaseStatus.Closed;
    }

    /// <summary>
    /// Where a parked ECSS case carries on when a person resumes it: with its HCA if it had one (the check-in clock
    /// starting again now), otherwise looking for one again in a new round.
    /// </summary>
    public static EcssCase Resumed(EcssCase state, DateTimeOffset at) => state is { Phase: EcssCase.Bridging, Hca: not null }
        ? state with { CheckInDueAt = at + state.Timings.CheckIn }
        : state with { Phase = EcssCase.Finding, Hca = null, RetryAt = null, DispatchShift = null, DispatchReason = "resumed" };

    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(context.CurrentUtcDateTime, TimeSpan.Zero);

    private static DateTimeOffset? Earliest(params DateTimeOffset?[] times) =>
        times.Where(x => x is not null).OrderBy(x => x).FirstOrDefault();
}
