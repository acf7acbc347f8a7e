using Microsoft.DurableTask;
using Workflows.Ecss;

namespace Workflows.CrisisCare;

/// <summary>
/// A case's input; <see cref="Ecss"/> is set when an ECSS case continues as new and resumes there, with
/// <see cref="StepsTaken"/> so the new execution's step ids follow on from the last instead of repeating them.
/// <see cref="Resumed"/> is set when a person resumed the case after it was parked (<see cref="Parks"/> times so far);
/// <see cref="Waiting"/> when a case still waiting for triage continued as new (its opening step already taken).
/// </summary>
public sealed record CrisisCaseStart(string CaseId, DateTimeOffset ReceivedAt, CaseTimings Timings, EcssCase? Ecss = null, int StepsTaken = 0,
    CaseResumption? Resumed = null, int Parks = 0, TriageWait? Waiting = null);

/// <summary>
/// A case waiting for triage as it continues as new (<see cref="OrchestrationVersions.TriageWaitContinuesAsNew"/>): the
/// escalations so far, when the next is due, and when the coordinator was last texted, so the wait goes on unchanged.
/// </summary>
public sealed record TriageWait(int Escalations, DateTimeOffset Due, DateTimeOffset? TextedAt);

/// <summary>
/// Where a parked case carries on when a person resumes it: waiting for triage (with the escalations so far), acting on
/// the ANP's <see cref="Decision"/>, or <see cref="Closing"/>; an ECSS case carries on from <see cref="CrisisCaseStart.Ecss"/>.
/// </summary>
public sealed record CaseResumption(DateTimeOffset At, TriageDecision? Decision = null, CloseRequest? Closing = null, int Escalations = 0);

/// <summary>
/// The ANP's decision, raised on the case's orchestration by the triage route, with what matters to the patient as far as
/// the ANP knows it (added later: histories recorded before it read them as null).
/// </summary>
public sealed record TriageDecision(string Outcome, string Notes, string? ServiceId, IReadOnlyList<string> Needs,
    string By, string ByName, DateTimeOffset At, string? PreferredPlaceOfDeath = null, EndOfLifeCarePlan? CarePlan = null);

/// <summary>
/// A request to close a case (coordinator, ANP, or a 111 cancellation), raised on its orchestration; after a death,
/// where the patient died when staff know it (<see cref="CrisisCare.PlaceOfDeath"/>).
/// </summary>
public sealed record CloseRequest(string Reason, string Notes, string By, string ByName, DateTimeOffset At, string? PlaceOfDeath = null)
{
    public const string Died = "died";
    public static readonly string[] Reasons = [Died, "admitted", "package", "resolved", "cancelled", "other"];
}

/// <summary>A person taking over a parked case and sending it on (POST /api/cases/{id}/resume).</summary>
public sealed record ResumeRequest(string Notes, string By, string ByName, DateTimeOffset At);

/// <summary>
/// One crisis case, end to end: opened from a 111 call, waiting for the ANP with a response timer that
/// escalates to the coordinator until the case is triaged, then acting on the ANP's decision; an ECSS referral goes
/// on in <see cref="EcssCaseWorkflow"/> (find an HCA, bridge until substantive care lands). A step that keeps failing
/// parks the case for a person, who resumes it where it was or closes it.
/// Deterministic: time comes from the context, every effect from an activity.
/// </summary>
public static class CrisisCaseWorkflow
{
    public const string Name = "CrisisCase";

    /// <summary>Registered from this file: the Durable Task analyzer reads the method only where AddOrchestratorFunc names it.</summary>
    public static readonly OrchestratorDefinition Definition = new(Name, r => r.AddOrchestratorFunc<CrisisCaseStart, string>(Name, RunAsync));
    public const string TriageEvent = "Triage";
    public const string CloseEvent = "Close";
    public const string ResumeEvent = "Resume";

    /// <summary>Overdue escalations texted to the coordinator every time; after these, at most once per the backoff (hourly).</summary>
    public const int EscalationsTextedEachTime = 4;

    /// <summary>
    /// Escalations one execution of the triage wait takes before it continues as new (about eight history events each):
    /// a case nobody triages for a day would otherwise replay some 800 events at every event.
    /// </summary>
    public const int EscalationsPerExecution = 8;

    public static async Task<string> RunAsync(TaskOrchestrationContext context, CrisisCaseStart start)
    {
        // One counter for the whole execution: a second counter would reuse ids.
        var step = new CaseSteps(context, start.CaseId, start.StepsTaken);
        var progress = new CaseProgress(start);
        var close = context.WaitForExternalEvent<CloseRequest>(CloseEvent);
        try
        {
            return await RunCaseAsync(context, start, step, progress, close);
        }
        catch (TaskFailedException e)
        {
            // A step failed after all its retries: park the case where staff look, instead of failing where nobody does.
            return await ParkAsync(context, start, step, progress, close, e);
        }
    }

    private static async Task<string> RunCaseAsync(TaskOrchestrationContext context, CrisisCaseStart start, CaseSteps step,
        CaseProgress progress, Task<CloseRequest> close)
    {
        var retry = WorkflowRetry.Steps(start.Timings);
        if (start.Resumed?.Closing is { } closing) return await CloseAsync(context, start, step, progress, closing);
        if (start.Ecss is { } resumed) return await EcssCaseWorkflow.RunAsync(context, start, resumed, close, step, progress);

        var decision = start.Resumed?.Decision;
        if (decision is null)
        {
            // A wait that continued as new was opened by an earlier execution, whose count it carries.
            if (start.Waiting is null) await context.CallActivityAsync(CaseActivities.OpenCase, step.Next(), retry);
            var waited = await AwaitTriageAsync(context, start, step, progress, close);
            if (waited.ContinuedAsNew) return CaseStatus.AwaitingTriage;
            decision = waited.Decision;
            if (decision is null) return await CloseAsync(context, start, step, progress, await close);
        }
        progress.Decided(decision, step);

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
                // Handed over, but open until staff close it (the patient dies, is admitted...): a close sent a moment
                // after the referral is heard, and a death is signposted like any other.
                return await CloseAsync(context, start, step, progress, await close);

            default:
                await context.CallActivityAsync(CaseActivities.AwaitHca, step.Next(), retry);
                var timings = await context.CallActivityAsync<EcssTimings>(EcssActivities.StartEcss, step.Next(), retry);
                return await EcssCaseWorkflow.RunAsync(context, start, new EcssCase(timings, EcssCase.Finding), close, step, progress);
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
    /// Waits for the ANP; past the response target, escalates and keeps escalating on an interval, each escalation on the
    /// timeline but the coordinator texted every time only for the first few, then at most once per backoff (hourly), so
    /// a case nobody triages does not text them 96 times a day. The decision is null when the case is closed before
    /// anyone triages it; from <see cref="OrchestrationVersions.TriageWaitContinuesAsNew"/> the wait continues as new
    /// every <see cref="EscalationsPerExecution"/> escalations, carrying where it stands in <see cref="TriageWait"/>.
    /// </summary>
    private static async Task<(TriageDecision? Decision, bool ContinuedAsNew)> AwaitTriageAsync(TaskOrchestrationContext context,
        CrisisCaseStart start, CaseSteps step, CaseProgress progress, Task<CloseRequest> close)
    {
        var triage = context.WaitForExternalEvent<TriageDecision>(TriageEvent);
        var backoff = start.Timings.TriageTextBackoff ?? CaseTimings.DefaultTriageTextBackoff;
        var due = start.Waiting?.Due.UtcDateTime ?? start.ReceivedAt.UtcDateTime + start.Timings.TriageResponse;
        // Resumed by a person who has just looked at it: the next escalation is an interval away, not at once.
        if (start.Resumed?.At.UtcDateTime + start.Timings.TriageEscalationRepeat is { } next && next > due) due = next;
        DateTime? texted = start.Waiting?.TextedAt?.UtcDateTime;
        var continuesAsNew = OrchestrationVersions.IsAtLeast(context, OrchestrationVersions.TriageWaitContinuesAsNew);
        var escalatedHere = 0;
        // Ends at triage or close, or (older versions excepted) continues as new: the older path keeps its history growing.
#pragma warning disable DURABLE0011 // the older versions' path, kept unchanged for their cases in flight
        while (true)
#pragma warning restore DURABLE0011
        {
            using var cancelTimer = new CancellationTokenSource();
            var wakeAt = due > context.CurrentUtcDateTime ? due : context.CurrentUtcDateTime;
            var timer = context.CreateTimer(wakeAt, cancelTimer.Token);
            var first = await Task.WhenAny(triage, close, timer);
            if (first != timer)
            {
                cancelTimer.Cancel();
                return (first == triage ? await triage : null, false);
            }
            var escalation = progress.Escalations + 1;
            var now = context.CurrentUtcDateTime;
            var tell = escalation <= EscalationsTextedEachTime || texted is null || now - texted >= backoff;
            await context.CallActivityAsync(CaseActivities.EscalateTriage,
                new EscalationStep(step.For($"triage-overdue-{escalation}"), escalation, MinutesWaited(start.ReceivedAt, wakeAt, now), tell),
                WorkflowRetry.Steps(start.Timings));
            progress.Escalations = escalation;
            if (tell) texted = now;
            due = now + start.Timings.TriageEscalationRepeat;
            if (continuesAsNew && ++escalatedHere == EscalationsPerExecution)
            {
                // A triage or close that came meanwhile is kept for the next execution.
                context.ContinueAsNew(start with
                {
                    Waiting = new TriageWait(escalation, new DateTimeOffset(due, TimeSpan.Zero), texted is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null),
                    StepsTaken = step.Taken,
                    Resumed = null,
                }, preserveUnprocessedEvents: true);
                return (null, true);
            }
        }
    }

    /// <summary>
    /// Closes the case as a person asked: before triage, once referred, or parked (an ECSS case closes in
    /// <see cref="EcssCaseWorkflow"/> through <see cref="CloseStepsAsync"/> too).
    /// </summary>
    private static async Task<string> CloseAsync(TaskOrchestrationContext context, CrisisCaseStart start, CaseSteps step,
        CaseProgress progress, CloseRequest request)
    {
        if (progress.Ecss is { } ecss) return await EcssCaseWorkflow.CloseAsync(context, start, step, progress, ecss, request);
        progress.Closes(request, step);
        await CloseStepsAsync(context, step, request, null,
            progress.Decision is null ? $"Closed before triage. {request.Notes}".TrimEnd() : request.Notes,
            start.Timings.SignpostingDelay, WorkflowRetry.Steps(start.Timings));
        return CaseStatus.Closed;
    }

    /// <summary>
    /// The steps that close a case, wherever it is closed from: an ECSS case ends bridging first (its HCA freed, open
    /// offers withdrawn); after a death the family is signposted to bereavement support at a humane hour.
    /// </summary>
    public static async Task CloseStepsAsync(TaskOrchestrationContext context, CaseSteps step, CloseRequest request, string? ecssTeam,
        string summary, TimeSpan? signpostingDelay, TaskOptions retry)
    {
        var signpostAt = BereavementSignposting.SendTime(request, new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero), signpostingDelay);
        if (ecssTeam is not null)
            await context.CallActivityAsync<bool>(EcssActivities.EndBridging,
                new EndBridgingStep(step.Next(), ecssTeam, request.Reason, signpostAt), retry);
        await context.CallActivityAsync<bool>(CaseActivities.CloseCase,
            new CloseStep(step.Next(), request.Reason, request.ByName, summary, request.PlaceOfDeath), retry);
        await BereavementSignposting.FollowUpAsync(context, step, signpostAt, retry);
    }

    /// <summary>
    /// A step kept failing: what the case holds is let go (a dispatch round still offering is stopped, an HCA's claim and
    /// open reply codes released), the case is flagged where staff look and the coordinator texted, and it waits for a
    /// person to resume it (it carries on where it was) or close it. A resume or close that fails parks it again.
    /// </summary>
    private static async Task<string> ParkAsync(TaskOrchestrationContext context, CrisisCaseStart start, CaseSteps step,
        CaseProgress progress, Task<CloseRequest> close, TaskFailedException failure)
    {
        var retry = WorkflowRetry.Steps(start.Timings);
        var parks = start.Parks;
        while (true)
        {
            parks++;
            await ReleaseAsync(context, step, progress, parks, retry);
            // Keyed, not counted: a resumed stage runs again from its first step's count (CaseProgress.StageFrom).
            await context.CallActivityAsync(CaseActivities.ParkCase,
                new ParkStep(step.For($"parked-{parks}"), failure.TaskName, failure.FailureDetails?.ErrorMessage ?? failure.Message), retry);
            // A close the case had taken already is what failed: a person's next close is waited for, not that one again.
            if (progress.Closing is not null && close.IsCompleted) close = context.WaitForExternalEvent<CloseRequest>(CloseEvent);
            var resume = context.WaitForExternalEvent<ResumeRequest>(ResumeEvent);
            var first = await Task.WhenAny(resume, close);
            try
            {
                if (first == close) return await CloseAsync(context, start, step, progress, await close);
                var request = await resume;
                await context.CallActivityAsync(CaseActivities.ResumeCase,
                    new ResumeStep(step.For($"resumed-{parks}"), progress.StatusToResume, request), retry);
                context.ContinueAsNew(progress.Resumption(start, step, request, parks), preserveUnprocessedEvents: true);
                return progress.StatusToResume;
            }
            catch (TaskFailedException again)
            {
                failure = again;
            }
        }
    }

    /// <summary>Stops a dispatch round still offering the case and, for an ECSS case, releases its HCA's claim and open reply codes.</summary>
    private static async Task ReleaseAsync(TaskOrchestrationContext context, CaseSteps step, CaseProgress progress, int parks, TaskOptions retry)
    {
        if (progress.Dispatch is { Result.IsCompleted: false } dispatch)
        {
            context.SendEvent(dispatch.InstanceId, HcaDispatchWorkflow.StopEvent, new StopDispatch("case parked"));
            // Its steps may be what is failing: a round that fails has stopped offering all the same.
            try { await dispatch.Result; } catch (TaskFailedException) { }
        }
        progress.Dispatch = null;
        if (progress.Ecss is { } ecss)
            await context.CallActivityAsync<bool>(EcssActivities.ReleaseHolds, new HoldsStep(step.For($"released-{parks}"), ecss.Timings.Team), retry);
    }
}

/// <summary>
/// How far a case has gone and what it holds, kept by its orchestration as it goes (in memory, rebuilt on every replay):
/// what parking must release, and where a person's resume carries on.
/// </summary>
public sealed class CaseProgress(CrisisCaseStart start)
{
    /// <summary>
    /// The step count when the stage the case is in began (deciding, closing): resumed, the stage runs again from its
    /// first step with the same step ids, so what it had done already is not done or recorded twice.
    /// </summary>
    public int StageFrom { get; private set; } = start.StepsTaken;
    public int Escalations { get; set; } = start.Resumed?.Escalations ?? start.Waiting?.Escalations ?? 0;
    public TriageDecision? Decision { get; private set; } = start.Resumed?.Decision;
    public CloseRequest? Closing { get; private set; }
    /// <summary>Where the ECSS part stands (kept by <see cref="EcssCaseWorkflow"/>); null before the case reaches it.</summary>
    public EcssCase? Ecss { get; set; } = start.Ecss;
    /// <summary>The dispatch round of the ECSS part, while one may be running.</summary>
    public (string InstanceId, Task<DispatchResult> Result)? Dispatch { get; set; }

    public void Decided(TriageDecision decision, CaseSteps step) => (Decision, StageFrom) = (decision, step.Taken);

    public void Closes(CloseRequest request, CaseSteps step) => (Closing, StageFrom) = (request, step.Taken);

    /// <summary>What the case's status is once it carries on.</summary>
    public string StatusToResume => this switch
    {
        { Ecss: { Phase: EcssCase.Bridging, Hca: not null } } => CaseStatus.Bridging,
        { Ecss: not null } => CaseStatus.AwaitingHca,
        { Decision: not null } => CaseStatus.Triaged,
        _ => CaseStatus.AwaitingTriage,
    };

    /// <summary>
    /// The next execution's input: a stage that was deciding or closing runs again from its first step; an ECSS case
    /// carries on with its HCA if it had one (the check-in clock from now), else finds one again; its steps count on.
    /// </summary>
    public CrisisCaseStart Resumption(CrisisCaseStart start, CaseSteps step, ResumeRequest request, int parks) => Ecss is { } ecss && Closing is null
        ? start with { Ecss = EcssCaseWorkflow.Resumed(ecss, request.At), StepsTaken = step.Taken, Resumed = new(request.At), Parks = parks }
        : start with { Ecss = Ecss, StepsTaken = StageFrom, Resumed = new(request.At, Decision, Closing, Escalations), Parks = parks };
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
/// <summary>Closes the case; <see cref="PlaceOfDeath"/> only after a death (an input added later: older histories have none).</summary>
public sealed record CloseStep(CaseStep Step, string Reason, string By, string Summary, string? PlaceOfDeath = null);
public sealed record ReferStep(CaseStep Step, string? ServiceId, IReadOnlyList<string> Needs, string By);
/// <summary>An overdue-triage escalation; <see cref="TellCoordinator"/> false once they are texted hourly (it is still on the timeline).</summary>
public sealed record EscalationStep(CaseStep Step, int Count, int MinutesWaited, bool TellCoordinator = true);
public sealed record ParkStep(CaseStep Step, string FailedStep, string Error);
public sealed record ResumeStep(CaseStep Step, string Status, ResumeRequest Request);
