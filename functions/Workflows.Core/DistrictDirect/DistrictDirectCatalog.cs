namespace Workflows.DistrictDirect;

public static class DistrictDirectCatalog
{
    public static readonly OrchestratorDefinition[] Orchestrators =
    [
        DischargeReferralWorkflow.Definition,
    ];

    public static readonly ActivityDefinition[] Activities =
    [
        ActivityDefinition.Of<ReferralActivities, ReferralStep, bool>(ReferralActivities.OpenReferral, (a, i) => a.OpenReferralAsync(i)),
        ActivityDefinition.Of<ReferralActivities, ReferralStep, bool>(ReferralActivities.RecordDutyToRefer, (a, i) => a.RecordDutyToReferAsync(i)),
        ActivityDefinition.Of<ReferralActivities, EscalationStep, bool>(ReferralActivities.EscalateAssessment, (a, i) => a.EscalateAssessmentAsync(i)),
        ActivityDefinition.Of<ReferralActivities, ApprovalStep, List<ApprovalAsk>>(ReferralActivities.RequestApprovals, (a, i) => a.RequestApprovalsAsync(i)),
        ActivityDefinition.Of<ReferralActivities, EscalationStep, bool>(ReferralActivities.EscalateApprovals, (a, i) => a.EscalateApprovalsAsync(i)),
        ActivityDefinition.Of<ReferralActivities, SmsDecisionStep, bool>(ReferralActivities.DecideBySms, (a, i) => a.DecideBySmsAsync(i)),
        ActivityDefinition.Of<ReferralActivities, CodesStep, bool>(ReferralActivities.CloseApprovalCodes, (a, i) => a.CloseApprovalCodesAsync(i)),
        ActivityDefinition.Of<ReferralActivities, ReferralStep, bool>(ReferralActivities.CompleteApprovals, (a, i) => a.CompleteApprovalsAsync(i)),
        ActivityDefinition.Of<ReferralActivities, ParkStep, bool>(ReferralActivities.ParkReferral, (a, i) => a.ParkReferralAsync(i)),
    ];
}
