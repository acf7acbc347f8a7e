using Microsoft.DurableTask.Client;
using Workflows.DistrictDirect;

namespace Workflows.LocalHost;

public static class DistrictDirectRoutes
{
    public static void Map(RouteGroupBuilder api)
    {
        var dd = api.MapGroup("/district-direct");
        dd.MapPost("/referrals", (HttpRequest r, DistrictDirectEndpoints e, DurableTaskClient c) => e.SubmitReferral(r, c));
        dd.MapGet("/referrals/{referralId}", (HttpRequest r, string referralId, DistrictDirectEndpoints e) => e.GetReferral(r, referralId));
        dd.MapPost("/referrals/{referralId}/assessment", (HttpRequest r, string referralId, DistrictDirectEndpoints e, DurableTaskClient c) => e.RecordAssessment(r, referralId, c));
        dd.MapPost("/referrals/{referralId}/discharged", (HttpRequest r, string referralId, DistrictDirectEndpoints e, DurableTaskClient c) => e.RecordDischarge(r, referralId, c));
        dd.MapPost("/referrals/{referralId}/withdraw", (HttpRequest r, string referralId, DistrictDirectEndpoints e, DurableTaskClient c) => e.WithdrawReferral(r, referralId, c));
        dd.MapPost("/spend-requests/{spendRequestId}/decision", (HttpRequest r, string spendRequestId, DistrictDirectEndpoints e, DurableTaskClient c) => e.DecideSpend(r, spendRequestId, c));
        dd.MapPost("/spend-requests/{spendRequestId}/invoice", (HttpRequest r, string spendRequestId, DistrictDirectEndpoints e) => e.InvoiceSpend(r, spendRequestId));
        dd.MapPost("/spend-requests/{spendRequestId}/cancel", (HttpRequest r, string spendRequestId, DistrictDirectEndpoints e, DurableTaskClient c) => e.CancelSpend(r, spendRequestId, c));
        dd.MapGet("/referrals", (HttpRequest r, ReferralWorklistEndpoints e) => e.Worklist(r));
        dd.MapGet("/fund", (HttpRequest r, DistrictDirectEndpoints e) => e.GetFund(r));
        dd.MapGet("/approvals/{approvalId}", (HttpRequest r, string approvalId, ApprovalAnswerEndpoints e) => e.Approval(r, approvalId));
        dd.MapPost("/approvals/{approvalId}/answer", (HttpRequest r, string approvalId, ApprovalAnswerEndpoints e, DurableTaskClient c) => e.Answer(r, approvalId, c));
    }
}
