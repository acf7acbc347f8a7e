using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;
using Workflows.Ecss;

namespace Workflows.Functions.Ecss;

/// <summary>ECSS HTTP triggers: each hands the request to Core's <see cref="EcssEndpoints"/>.</summary>
public sealed class EcssFunctions(EcssEndpoints endpoints)
{
    [Function("RecordCaseVisit")]
    public Task<IActionResult> RecordCaseVisit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{caseId}/visits")] HttpRequest req, string caseId,
        [DurableClient] DurableTaskClient client) => endpoints.RecordVisit(req, caseId, client).AsAction();

    [Function("RecordCaseCheckIn")]
    public Task<IActionResult> RecordCaseCheckIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{caseId}/check-ins")] HttpRequest req, string caseId,
        [DurableClient] DurableTaskClient client) => endpoints.RecordCheckIn(req, caseId, client).AsAction();

    [Function("RecordCarePackage")]
    public Task<IActionResult> RecordCarePackage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{caseId}/package")] HttpRequest req, string caseId,
        [DurableClient] DurableTaskClient client) => endpoints.RecordPackage(req, caseId, client).AsAction();

    [Function("GetShiftRoster")]
    public Task<IActionResult> GetShiftRoster(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ecss/roster/{date}/{kind}")] HttpRequest req, string date, string kind) =>
        endpoints.GetRoster(req, date, kind).AsAction();

    [Function("SetShiftRoster")]
    public Task<IActionResult> SetShiftRoster(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "ecss/roster/{date}/{kind}")] HttpRequest req, string date, string kind) =>
        endpoints.SetRoster(req, date, kind).AsAction();
}

/// <summary>
/// The shift-change timer. On Linux (Flex Consumption) CRON runs in UTC and WEBSITE_TIME_ZONE is not honoured, so a
/// fixed 08:00/20:00 schedule would be an hour out for half the year. Instead this runs every 5 minutes and hands
/// over once the UK-time boundary has passed and not yet been handed over: at most 5 minutes late, right across
/// BST/GMT changes, and a missed boundary (app down, deploy) is caught at the next tick.
/// </summary>
public sealed class ShiftHandoverFunctions(ShiftHandover handover)
{
    [Function("ShiftHandover")]
    public Task ShiftHandover([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client) =>
        handover.HandOverIfDueAsync(client);
}

/// <summary>The HCA dispatch orchestration and the ECSS activities, hosted by Durable Functions.</summary>
public sealed class EcssOrchestrationFunctions(EcssActivities activities)
{
    [Function(HcaDispatchWorkflow.Name)]
    public static Task<DispatchResult> HcaDispatch([OrchestrationTrigger] TaskOrchestrationContext context) =>
        HcaDispatchWorkflow.RunAsync(context, context.GetInput<DispatchStart>()!);

    [Function(BereavementFollowUpWorkflow.Name)]
    public static Task<int> BereavementFollowUp([OrchestrationTrigger] TaskOrchestrationContext context) =>
        BereavementFollowUpWorkflow.RunAsync(context, context.GetInput<BereavementFollowUpStart>()!);

    [Function(CarerCheckInWorkflow.Name)]
    public static Task<int> CarerCheckIn([OrchestrationTrigger] TaskOrchestrationContext context) =>
        CarerCheckInWorkflow.RunAsync(context, context.GetInput<CarerCheckInStart>()!);

    [Function(EcssActivities.StartEcss)]
    public Task<EcssTimings> StartEcss([ActivityTrigger] CaseStep input) => activities.StartEcssAsync(input);

    [Function(EcssActivities.PlanDispatch)]
    public Task<DispatchPlan> PlanDispatch([ActivityTrigger] DispatchPlanStep input) => activities.PlanDispatchAsync(input);

    [Function(EcssActivities.OfferCase)]
    public Task<string> OfferCase([ActivityTrigger] OfferStep input) => activities.OfferCaseAsync(input);

    [Function(EcssActivities.AnswerOffer)]
    public Task<bool> AnswerOffer([ActivityTrigger] OfferAnswer input) => activities.AnswerOfferAsync(input);

    [Function(EcssActivities.AssignHca)]
    public Task<bool> AssignHca([ActivityTrigger] AssignStep input) => activities.AssignHcaAsync(input);

    [Function(EcssActivities.EscalateUnfilled)]
    public Task<bool> EscalateUnfilled([ActivityTrigger] UnfilledStep input) => activities.EscalateUnfilledAsync(input);

    [Function(EcssActivities.RecordVisit)]
    public Task<bool> RecordVisit([ActivityTrigger] VisitStep input) => activities.RecordVisitAsync(input);

    [Function(EcssActivities.RecordCheckIn)]
    public Task<bool> RecordCheckIn([ActivityTrigger] CheckInStep input) => activities.RecordCheckInAsync(input);

    [Function(EcssActivities.EscalateCheckIn)]
    public Task<bool> EscalateCheckIn([ActivityTrigger] CheckInOverdueStep input) => activities.EscalateCheckInAsync(input);

    [Function(EcssActivities.EscalateOverLimit)]
    public Task<bool> EscalateOverLimit([ActivityTrigger] OverLimitStep input) => activities.EscalateOverLimitAsync(input);

    [Function(EcssActivities.RecordPackage)]
    public Task<bool> RecordPackage([ActivityTrigger] PackageStep input) => activities.RecordPackageAsync(input);

    [Function(EcssActivities.HandOver)]
    public Task<bool> HandOver([ActivityTrigger] HandoverStep input) => activities.HandOverAsync(input);

    [Function(EcssActivities.EndBridging)]
    public Task<bool> EndBridging([ActivityTrigger] EndBridgingStep input) => activities.EndBridgingAsync(input);

    [Function(EcssActivities.ReleaseHolds)]
    public Task<bool> ReleaseHolds([ActivityTrigger] HoldsStep input) => activities.ReleaseHoldsAsync(input);

    [Function(EcssActivities.SignpostBereavement)]
    public Task<bool> SignpostBereavement([ActivityTrigger] CaseStep input) => activities.SignpostBereavementAsync(input);

    [Function(EcssActivities.FollowUpBereaved)]
    public Task<bool> FollowUpBereaved([ActivityTrigger] FollowUpStep input) => activities.FollowUpBereavedAsync(input);

    [Function(EcssActivities.ReadCarerCase)]
    public Task<CarerCaseState> ReadCarerCase([ActivityTrigger] string caseId) => activities.ReadCarerCaseAsync(caseId);

    [Function(EcssActivities.AskCarer)]
    public Task<string?> AskCarer([ActivityTrigger] CarerAskStep input) => activities.AskCarerAsync(input);

    [Function(EcssActivities.RecordCarerReply)]
    public Task<bool> RecordCarerReply([ActivityTrigger] CarerReplyStep input) => activities.RecordCarerReplyAsync(input);
}
