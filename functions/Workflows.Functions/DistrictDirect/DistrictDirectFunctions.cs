using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workflows.DistrictDirect;

namespace Workflows.Functions.DistrictDirect;

/// <summary>District Direct HTTP triggers: each hands the request to Core's <see cref="DistrictDirectEndpoints"/>.</summary>
public sealed class DistrictDirectFunctions(DistrictDirectEndpoints endpoints)
{
    [Function("SubmitDischargeReferral")]
    public Task<IActionResult> SubmitDischargeReferral(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "district-direct/referrals")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => endpoints.SubmitReferral(req, client).AsAction();

    [Function("GetDischargeReferral")]
    public Task<IActionResult> GetDischargeReferral(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "district-direct/referrals/{referralId}")] HttpRequest req, string referralId) =>
        endpoints.GetReferral(req, referralId).AsAction();

    [Function("RecordHomeAssessment")]
    public Task<IActionResult> RecordHomeAssessment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "district-direct/referrals/{referralId}/assessment")] HttpRequest req, string referralId,
        [DurableClient] DurableTaskClient client) => endpoints.RecordAssessment(req, referralId, client).AsAction();

    [Function("RecordDischarge")]
    public Task<IActionResult> RecordDischarge(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "district-direct/referrals/{referralId}/discharged")] HttpRequest req, string referralId,
        [DurableClient] DurableTaskClient client) => endpoints.RecordDischarge(req, referralId, client).AsAction();

    [Function("WithdrawDischargeReferral")]
    public Task<IActionResult> WithdrawDischargeReferral(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "district-direct/referrals/{referralId}/withdraw")] HttpRequest req, string referralId,
        [DurableClient] DurableTaskClient client) => endpoints.WithdrawReferral(req, referralId, client).AsAction();

    [Function("DecideSpendRequest")]
    public Task<IActionResult> DecideSpendRequest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "district-direct/spend-requests/{spendRequestId}/decision")] HttpRequest req, string spendRequestId,
        [DurableClient] DurableTaskClient client) => endpoints.DecideSpend(req, spendRequestId, client).AsAction();

    [Function("InvoiceSpendRequest")]
    public Task<IActionResult> InvoiceSpendRequest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "district-direct/spend-requests/{spendRequestId}/invoice")] HttpRequest req, string spendRequestId) =>
        endpoints.InvoiceSpend(req, spendRequestId).AsAction();

    [Function("CancelSpendRequest")]
    public Task<IActionResult> CancelSpendRequest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "district-direct/spend-requests/{spendRequestId}/cancel")] HttpRequest req, string spendRequestId,
        [DurableClient] DurableTaskClient client) => endpoints.CancelSpend(req, spendRequestId, client).AsAction();

    [Function("GetDischargeFund")]
    public Task<IActionResult> GetDischargeFund(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "district-direct/fund")] HttpRequest req) =>
        endpoints.GetFund(req).AsAction();
}

/// <summary>The approval text's link: hands the request to Core's <see cref="ApprovalAnswerEndpoints"/>.</summary>
public sealed class ApprovalAnswerFunctions(ApprovalAnswerEndpoints endpoints)
{
    [Function("SpendApproval")]
    public Task<IActionResult> SpendApproval(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "district-direct/approvals/{approvalId}")] HttpRequest req, string approvalId) =>
        endpoints.Approval(req, approvalId).AsAction();

    [Function("AnswerSpendApproval")]
    public Task<IActionResult> AnswerSpendApproval(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "district-direct/approvals/{approvalId}/answer")] HttpRequest req, string approvalId,
        [DurableClient] DurableTaskClient client) =>
        endpoints.Answer(req, approvalId, client).AsAction();
}

/// <summary>The District Direct referral orchestration and its activities, hosted by Durable Functions.</summary>
public sealed class DischargeReferralFunctions(ReferralActivities activities)
{
    [Function(DischargeReferralWorkflow.Name)]
    public static Task<string> DischargeReferral([OrchestrationTrigger] TaskOrchestrationContext context) =>
        DischargeReferralWorkflow.RunAsync(context, context.GetInput<DischargeReferralStart>()!);

    [Function(ReferralActivities.OpenReferral)]
    public Task<bool> OpenReferral([ActivityTrigger] ReferralStep input) => activities.OpenReferralAsync(input);

    [Function(ReferralActivities.RecordDutyToRefer)]
    public Task<bool> RecordDutyToRefer([ActivityTrigger] ReferralStep input) => activities.RecordDutyToReferAsync(input);

    [Function(ReferralActivities.EscalateAssessment)]
    public Task<bool> EscalateAssessment([ActivityTrigger] EscalationStep input) => activities.EscalateAssessmentAsync(input);

    [Function(ReferralActivities.RequestApprovals)]
    public Task<List<ApprovalAsk>> RequestApprovals([ActivityTrigger] ApprovalStep input) => activities.RequestApprovalsAsync(input);

    [Function(ReferralActivities.EscalateApprovals)]
    public Task<bool> EscalateApprovals([ActivityTrigger] EscalationStep input) => activities.EscalateApprovalsAsync(input);

    [Function(ReferralActivities.DecideBySms)]
    public Task<bool> DecideBySms([ActivityTrigger] SmsDecisionStep input) => activities.DecideBySmsAsync(input);

    [Function(ReferralActivities.CloseApprovalCodes)]
    public Task<bool> CloseApprovalCodes([ActivityTrigger] CodesStep input) => activities.CloseApprovalCodesAsync(input);

    [Function(ReferralActivities.CompleteApprovals)]
    public Task<bool> CompleteApprovals([ActivityTrigger] ReferralStep input) => activities.CompleteApprovalsAsync(input);

    [Function(ReferralActivities.ParkReferral)]
    public Task<bool> ParkReferral([ActivityTrigger] ParkStep input) => activities.ParkReferralAsync(input);
}
