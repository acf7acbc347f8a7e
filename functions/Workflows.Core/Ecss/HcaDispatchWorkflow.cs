using Microsoft.DurableTask;
using Workflows.CrisisCare;
using Workflows.Messaging;

namespace Workflows.Ecss;

/// <summary>
/// One round of finding an HCA for a case, run as a sub-orchestration of the case: the shift's HCAs are ranked, then
/// offered the case one at a time by SMS, each with a durable timer. An answer comes as a text reply or from the link in
/// the text, both as an <see cref="SmsReply"/> on the offer's code. NO, silence or an undelivered text moves to the
/// next; YES is a claim on the HCA that succeeds only if they are not already attending another case. The case
/// decides what happens after a round nobody filled (escalate, wait, run another round), which keeps this history short.
/// </summary>
public static class HcaDispatchWorkflow
{
    public const string Name = "HcaDispatch";

    /// <summary>Registered from this file: the Durable Task analyzer reads the method only where AddOrchestratorFunc names it.</summary>
    public static readonly OrchestratorDefinition Definition = new(Name, r => r.AddOrchestratorFunc<DispatchStart, DispatchResult>(Name, RunAsync));
    public const string ReplyEvent = "OfferReply";
    public const string StopEvent = "StopDispatch";

    /// <summary>The dispatch instance for a case's nth round: known to the case, so it can stop it.</summary>
    public static string InstanceId(string caseId, int round) => $"{caseId}-dispatch-{round}";

    public static async Task<DispatchResult> RunAsync(TaskOrchestrationContext context, DispatchStart start)
    {
        var retry = WorkflowRetry.Steps(start.StepAttempts, start.StepFirstRetry);
        var step = new CaseSteps(context, start.CaseId);
        var stop = context.WaitForExternalEvent<StopDispatch>(StopEvent);
        // One waiter for replies, renewed only after it fires, so no reply is ever handed to an abandoned waiter.
        var reply = context.WaitForExternalEvent<SmsReply>(ReplyEvent);

        var plan = await context.CallActivityAsync<DispatchPlan>(EcssActivities.PlanDispatch,
            new DispatchPlanStep(step.Next(), start.Team, start.ShiftKey, start.Round, start.Reason), retry);
        var offered = 0;
        foreach (var hca in plan.Hcas)
        {
            if (stop.IsCompleted) break;
            var offerStep = step.Next();
            var expiresAt = offerStep.At + start.OfferTimeout;
            var code = await context.CallActivityAsync<string>(EcssActivities.OfferCase,
                new OfferStep(offerStep, context.InstanceId, hca, start.Round, expiresAt, (int)Math.Ceiling(start.OfferTimeout.TotalMinutes)), retry);
            offered++;

            using var cancelTimer = new CancellationTokenSource();
            var timer = context.CreateTimer(expiresAt.UtcDateTime, cancelTimer.Token);
            string? outcome = null;
            var fromLink = false;
            while (outcome is null)
            {
                var first = await Task.WhenAny(reply, timer, stop);
                if (first == stop) outcome = OfferOutcome.Withdrawn;
                else if (first == timer) outcome = OfferOutcome.Unanswered;
                else
                {
                    var answer = await reply;
                    reply = context.WaitForExternalEvent<SmsReply>(ReplyEvent);
                    // A late answer to an earlier offer (e.g. a delivery failure reported after it timed out) changes nothing.
                    if (!string.Equals(answer.Code, code, StringComparison.OrdinalIgnoreCase)) continue;
                    fromLink = answer.By is not null;
                    outcome = answer.Answer.ToUpperInvariant() switch
                    {
                        SmsAnswers.Yes => OfferOutcome.Accepted,
                        SmsAnswers.No => OfferOutcome.Declined,
                        SmsAnswers.Undelivered => OfferOutcome.Undelivered,
                        _ => null,
                    };
                }
            }
            if (outcome != OfferOutcome.Unanswered) cancelTimer.Cancel();

            var accepted = await context.CallActivityAsync<bool>(EcssActivities.AnswerOffer,
                new OfferAnswer(step.Next(), offerStep.StepId, start.Team, hca, code, outcome, fromLink), retry);
            if (accepted) return new DispatchResult(DispatchOutcome.Accepted, hca, offered);
            if (outcome == OfferOutcome.Withdrawn) break;
        }
        return new DispatchResult(stop.IsCompleted ? DispatchOutcome.Stopped : DispatchOutcome.Unfilled, null, offered);
    }
}
