using Workflows.CrisisCare;

namespace Workflows.Ecss;

public static class EcssCatalog
{
    public static readonly OrchestratorDefinition[] Orchestrators =
    [
        HcaDispatchWorkflow.Definition,
        BereavementFollowUpWorkflow.Definition,
        CarerCheckInWorkflow.Definition,
    ];

    public static readonly ActivityDefinition[] Activities =
    [
        ActivityDefinition.Of<EcssActivities, CaseStep, EcssTimings>(EcssActivities.StartEcss, (a, i) => a.StartEcssAsync(i)),
        ActivityDefinition.Of<EcssActivities, DispatchPlanStep, DispatchPlan>(EcssActivities.PlanDispatch, (a, i) => a.PlanDispatchAsync(i)),
        ActivityDefinition.Of<EcssActivities, OfferStep, string>(EcssActivities.OfferCase, (a, i) => a.OfferCaseAsync(i)),
        ActivityDefinition.Of<EcssActivities, OfferAnswer, bool>(EcssActivities.AnswerOffer, (a, i) => a.AnswerOfferAsync(i)),
        ActivityDefinition.Of<EcssActivities, AssignStep, bool>(EcssActivities.AssignHca, (a, i) => a.AssignHcaAsync(i)),
        ActivityDefinition.Of<EcssActivities, UnfilledStep, bool>(EcssActivities.EscalateUnfilled, (a, i) => a.EscalateUnfilledAsync(i)),
        ActivityDefinition.Of<EcssActivities, VisitStep, bool>(EcssActivities.RecordVisit, (a, i) => a.RecordVisitAsync(i)),
        ActivityDefinition.Of<EcssActivities, CheckInStep, bool>(EcssActivities.RecordCheckIn, (a, i) => a.RecordCheckInAsync(i)),
        ActivityDefinition.Of<EcssActivities, CheckInOverdueStep, bool>(EcssActivities.EscalateCheckIn, (a, i) => a.EscalateCheckInAsync(i)),
        ActivityDefinition.Of<EcssActivities, OverLimitStep, bool>(EcssActivities.EscalateOverLimit, (a, i) => a.EscalateOverLimitAsync(i)),
        ActivityDefinition.Of<EcssActivities, PackageStep, bool>(EcssActivities.RecordPackage, (a, i) => a.RecordPackageAsync(i)),
        ActivityDefinition.Of<EcssActivities, HandoverStep, bool>(EcssActivities.HandOver, (a, i) => a.HandOverAsync(i)),
        ActivityDefinition.Of<EcssActivities, EndBridgingStep, bool>(EcssActivities.EndBridging, (a, i) => a.EndBridgingAsync(i)),
        ActivityDefinition.Of<EcssActivities, HoldsStep, bool>(EcssActivities.ReleaseHolds, (a, i) => a.ReleaseHoldsAsync(i)),
        ActivityDefinition.Of<EcssActivities, CaseStep, bool>(EcssActivities.SignpostBereavement, (a, i) => a.SignpostBereavementAsync(i)),
        ActivityDefinition.Of<EcssActivities, FollowUpStep, bool>(EcssActivities.FollowUpBereaved, (a, i) => a.FollowUpBereavedAsync(i)),
        ActivityDefinition.Of<EcssActivities, string, CarerCaseState>(EcssActivities.ReadCarerCase, (a, i) => a.ReadCarerCaseAsync(i)),
        ActivityDefinition.Of<EcssActivities, CarerAskStep, string?>(EcssActivities.AskCarer, (a, i) => a.AskCarerAsync(i)),
        ActivityDefinition.Of<EcssActivities, CarerReplyStep, bool>(EcssActivities.RecordCarerReply, (a, i) => a.RecordCarerReplyAsync(i)),
    ];
}
