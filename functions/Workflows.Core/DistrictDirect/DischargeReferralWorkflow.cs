using Microsoft.DurableTask;
using Workflows.Messaging;

namespace Workflows.DistrictDirect;

public sealed record DischargeReferralStart(string ReferralId, DateTimeOffset ReceivedAt, bool Homeless, ReferralTimings Timings);

/// <summary>An officer's home assessment, raised by the assessment route once its spend requests exist.</summary>
public sealed record AssessmentRecorded(string FundYear, IReadOnlyList<string> SpendRequestIds, string OfficerId, DateTimeOffset At);

/// <summary>A spend request decided (approved, rejected or cancelled) through the API, raised by that route.</summary>
public sealed record SpendDecided(string SpendRequestId, string Status, string By);

/// <summary>The patient has gone home, raised by the discharged route.</summary>
public sealed record DischargeNotice(DateTimeOffset DischargedAt, string By);

/// <summary>An approval asked by SMS: the request and the code the approver can reply with (none when SMS is off).</summary>
public sealed record ApprovalAsk(string SpendRequestId, string? Code);

/// <summary>
/// One District Direct referral, end to end: accepted from the ward, ED or a paramedic (the duty to refer recorded
/// for a homeless patient); waiting for an officer's same-day home assessment, told to the manager when overdue;
/// its spend requests asked of the approver by SMS and decided by reply or through the API, told to the manager
/// when still undecided at the end of the working day; finished when the patient is discharged, or when the referral is
/// withdrawn before (its commitments released by the withdrawal).
/// Deterministic: time comes from the context, every effect from an activity.
/// </summary>
public static class DischargeReferralWorkflow
{
    public const string Name = "DischargeReferral";

    /// <summary>Registered from this file: the Durable Task analyzer reads the method only where AddOrchestratorFunc names it.</summary>
    public static readonly OrchestratorDefinition Definition = new(Name, r => r.AddOrchestratorFunc<DischargeReferralStart, string>(Name, RunAsync));
    public const string AssessedEvent = "Assessed";
    public const string SpendDecidedEvent = "SpendDecided";
    public const string ApprovalReplyEvent = "ApprovalReply";
    public const string DischargedEvent = "Discharged";
    public const string WithdrawnEvent = "Withdrawn";

    public static async Task<string> RunAsync(TaskOrchestrationContext context, DischargeReferralStart start)
    {
        // One counter for the whole referral, the parking step included: a second counter would reuse ids.
        var step = new ReferralSteps(context, start.ReferralId);
        try
        {
            return await RunReferralAsync(context, start, step);
        }
        catch (TaskFailedException e)
        {
            // A step failed after all its retries: park the referral where officers look, instead of failing where nobody does.
            await context.CallActivityAsync(ReferralActivities.ParkReferral,
                new ParkStep(step.Next(), e.TaskName, e.FailureDetails?.ErrorMessage ?? e.Message),
                WorkflowRetry.Steps(start.Timings));
            return ReferralStatus.NeedsAttention;
        }
    }

    private static async Task<string> RunReferralAsync(TaskOrchestrationContext context, DischargeReferralStart start, ReferralSteps step)
    {
        var retry = WorkflowRetry.Steps(start.Timings);

        await context.CallActivityAsync(ReferralActivities.OpenReferral, step.Next(), retry);
        if (start.Homeless)
            await context.CallActivityAsync(ReferralActivities.RecordDutyToRefer, step.Next(), retry);

        // The referral ends when the patient is discharged, or when it is withdrawn before.
        var discharged = context.WaitForExternalEvent<DischargeNotice>(DischargedEvent);
        var withdrawn = context.WaitForExternalEvent<ReferralWithdrawn>(WithdrawnEvent);
        var ended = Task.WhenAny(discharged, withdrawn);
        var assessment = await AwaitAssessmentAsync(context, start, step, ended);
        var openCodes = new List<string>();
        if (assessment is { SpendRequestIds.Count: > 0 })
            openCodes = await AwaitDecisionsAsync(context, start, step, assessment, ended);

        await ended;
        if (openCodes.Count > 0)
            await context.CallActivityAsync(ReferralActivities.CloseApprovalCodes, new CodesStep(step.Next(), openCodes), retry);
        return withdrawn.IsCompleted ? ReferralStatus.Withdrawn : ReferralStatus.Discharged;
    }

    /// <summary>Waits for the officer's assessment; past the due time, tells the manager once. Null when the referral ended first.</summary>
    private static async Task<AssessmentRecorded?> AwaitAssessmentAsync(TaskOrchestrationContext context, DischargeReferralStart start,
        ReferralSteps step, Task ended)
    {
        var assessed = context.WaitForExternalEvent<AssessmentRecorded>(AssessedEvent);
        using var cancelTimer = new CancellationTokenSource();
        var due = start.ReceivedAt.UtcDateTime + start.Timings.AssessmentDue;
        var timer = context.CreateTimer(due > context.CurrentUtcDateTime ? due : context.CurrentUtcDateTime, cancelTimer.Token);
        var first = await Task.WhenAny(assessed, ended, timer);
        if (first == timer)
        {
            await context.CallActivityAsync(ReferralActivities.EscalateAssessment,
                new EscalationStep(step.For("assessment-overdue"), (int)Math.Round(start.Timings.AssessmentDue.TotalMinutes), []), WorkflowRetry.Steps(start.Timings));
            first = await Task.WhenAny(assessed, ended);
        }
        else cancelTimer.Cancel();
        return first == assessed ? await assessed : null;
    }

    /// <summary>
    /// Asks for each spend request's decision by SMS and waits until all are decided (by reply or through the API),
    /// telling the manager once if any is still undecided at the end of the working day. Returns the codes still open.
    /// </summary>
    private static async Task<List<string>> AwaitDecisionsAsync(TaskOrchestrationContext context, DischargeReferralStart start,
        ReferralSteps step, AssessmentRecorded assessment, Task ended)
    {
        var retry = WorkflowRetry.Steps(start.Timings);
        var asks = await context.CallActivityAsync<List<ApprovalAsk>>(ReferralActivities.RequestApprovals,
            new ApprovalStep(step.Next(), assessment.FundYear, assessment.SpendRequestIds, assessment.OfficerId), retry);
        var codes = asks.Where(a => a.Code is not null).ToDictionary(a => a.SpendRequestId, a => a.Code!);

        // Each request's SMS answer has an event of its own. A waiter is replaced only once it has fired,
        // so no event is taken by a waiter nobody reads.
        var replies = asks.ToDictionary(a => a.SpendRequestId, a => context.WaitForExternalEvent<SmsReply>(ApprovalReplyEventFor(a.SpendRequestId)));
        var decided = context.WaitForExternalEvent<SpendDecided>(SpendDecidedEvent);
        using var cancelTimer = new CancellationTokenSource();
        Task? endOfDay = context.CreateTimer(WorkingDay.EndAfter(context.CurrentUtcDateTime, start.Timings.WorkingDayEnds).UtcDateTime, cancelTimer.Token);

        while (replies.Count > 0)
        {
            var first = await Task.WhenAny(new Task?[] { decided, ended, endOfDay }.Concat(replies.Values).OfType<Task>());
            if (first == ended) break;
            if (first == endOfDay)
            {
                endOfDay = null;
                await context.CallActivityAsync(ReferralActivities.EscalateApprovals, new EscalationStep(step.For("approvals-overdue"), 0, replies.Keys.ToList()), retry);
                continue;
            }

            string? settled = null;
            if (first == decided)
            {
                settled = (await decided).SpendRequestId;
                decided = context.WaitForExternalEvent<SpendDecided>(SpendDecidedEvent);
            }
            else
            {
                var spendId = replies.First(r => r.Value == first).Key;
                var answer = await replies[spendId];
                replies[spendId] = context.WaitForExternalEvent<SmsReply>(ApprovalReplyEventFor(spendId));
                if (await context.CallActivityAsync<bool>(ReferralActivities.DecideBySms, new SmsDecisionStep(step.Next(), spendId, answer), retry))
                    settled = spendId;
            }
            if (settled is null || !replies.Remove(settled)) continue;
            if (codes.Remove(settled, out var code))
                await context.CallActivityAsync(ReferralActivities.CloseApprovalCodes, new CodesStep(step.Next(), [code]), retry);
        }
        if (endOfDay is not null) cancelTimer.Cancel();
        if (replies.Count == 0)
            await context.CallActivityAsync(ReferralActivities.CompleteApprovals, step.Next(), retry);
        return codes.Values.ToList();
    }

    /// <summary>The event a spend request's SMS answer is raised as (its reply code's route).</summary>
    public static string ApprovalReplyEventFor(string spendRequestId) => $"{ApprovalReplyEvent}-{spendRequestId}";
}

/// <summary>
/// Gives each step of a referral an id that is the same on every replay and on every re-execution after a crash
/// (<see cref="StepIds"/>), and the episode's time.
/// </summary>
public sealed class ReferralSteps(TaskOrchestrationContext context, string referralId)
{
    private int _taken;

    public ReferralStep Next() => new(referralId, StepIds.For(context.InstanceId, ++_taken), context.CurrentUtcDateTime);

    /// <summary>
    /// A step a timer set off (an escalation), keyed by what it is and not counted: an episode run again after a crash
    /// can take the timer before an event it took after, and a counted id would shift for every step after it (H17).
    /// </summary>
    public ReferralStep For(string key) => new(referralId, $"{context.InstanceId}-{key}", context.CurrentUtcDateTime);
}

/// <summary>What every activity of a referral is told: which referral, which step (an idempotency key), and when.</summary>
public sealed record ReferralStep(string ReferralId, string StepId, DateTimeOffset At);

public sealed record EscalationStep(ReferralStep Step, int MinutesDue, IReadOnlyList<string> SpendRequestIds);
public sealed record ApprovalStep(ReferralStep Step, string FundYear, IReadOnlyList<string> SpendRequestIds, string OfficerId);
public sealed record SmsDecisionStep(ReferralStep Step, string SpendRequestId, SmsReply Reply);
public sealed record CodesStep(ReferralStep Step, IReadOnlyList<string> Codes);
public sealed record ParkStep(ReferralStep Step, string FailedStep, string Error);
