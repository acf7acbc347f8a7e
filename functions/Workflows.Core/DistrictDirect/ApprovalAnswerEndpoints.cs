using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Workflows.Http;
using Workflows.Messaging;

namespace Workflows.DistrictDirect;

/// <summary>
/// An approver answering an approval text from its link: <c>district-direct.html?approval={approvalId}</c> opens the
/// District Direct page at that spend request. <c>{approvalId}</c> is the request's link id (<see cref="ReplyCodes"/>): it
/// names nothing, and only the approver the text went to or a District Direct manager, signed in, may read or answer it.
/// An answer goes the way an APPROVE or REJECT reply goes (<see cref="CodeAnswers"/>: the request's reply code takes one
/// answer, and the referral decides it as it decides a reply, <see cref="ReferralActivities.DecideBySmsAsync"/>).
/// </summary>
public sealed class ApprovalAnswerEndpoints(
    FundLedger ledger, ReferralStore referrals, DistrictDirectRegister register, ApprovalChecks checks, ReplyCodes codes, CodeAnswers answers,
    TimeProvider time)
{
    /// <summary>The page and query parameter the approval text's link opens.</summary>
    public const string Page = "district-direct.html", Parameter = "approval";

    public static readonly string[] Answers = ["approve", "reject"];

    private static readonly string[] Approvers = [Roles.DdOfficer, Roles.DdManager];

    /// <summary>GET /api/district-direct/approvals/{approvalId}: the spend request asked about, its referral, and where the question stands.</summary>
    public async Task<IResult> Approval(HttpRequest request, string approvalId)
    {
        var (staff, denied) = StaffPrincipal.Require(request, Approvers);
        if (denied is not null) return denied;
        var (found, refused) = await FindAsync(approvalId, staff!);
        if (refused is not null) return refused;
        var (code, spend) = found!.Value;
        var referral = await referrals.FindAsync(spend.ReferralId);
        var hospital = referral is null ? null : await register.HospitalAsync(referral.Hospital);
        return Results.Json(new
        {
            approvalId, referralId = spend.ReferralId,
            hospital = referral is null ? null : new { id = referral.Hospital, name = hospital?.Name },
            patient = referral is null ? null : new { name = referral.PatientName, postcode = referral.Postcode },
            spendRequest = DistrictDirectEndpoints.SpendJson(spend),
            expiresAt = code.ExpiresAt, state = code.StateAt(time.GetUtcNow()),
            answer = code.Answer switch { SmsAnswers.Approve => "approve", SmsAnswers.Reject => "reject", _ => null },
        }, Json.Options);
    }

    /// <summary>POST /api/district-direct/approvals/{approvalId}/answer <c>{"answer":"approve"|"reject"}</c>: 202 once the referral has it.</summary>
    public async Task<IResult> Answer(HttpRequest request, string approvalId, DurableTaskClient client)
    {
        var (staff, denied) = StaffPrincipal.Require(request, Approvers);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var answer = f.OneOf("answer", Answers);
        if (!f.IsValid) return Problems.Validation(f.Errors);
        var (found, refused) = await FindAsync(approvalId, staff!);
        if (refused is not null) return refused;
        var (code, spend) = found!.Value;

        // Said now, before the question is answered: the referral would refuse the same later and keep the code answered.
        if (spend.Status != SpendStatus.Pending) return ApprovalChecks.AlreadyDecided(spend);
        if (answer == "approve" && (await checks.LimitProblemAsync(staff!, spend) ?? await checks.FundProblemAsync(spend)) is { } cannot)
            return cannot;

        var reply = new SmsReply(code.Code, answer == "approve" ? SmsAnswers.Approve : SmsAnswers.Reject, "", time.GetUtcNow(), staff!.UserId);
        return await answers.AnswerAsync(code, reply, client, request.HttpContext.RequestAborted) switch
        {
            AnswerOutcome.Applied => Results.Json(new { approvalId, answer, statusUrl = $"/api/district-direct/approvals/{approvalId}" },
                Json.Options, statusCode: StatusCodes.Status202Accepted),
            AnswerOutcome.Expired => Problems.Conflict("Link expired",
                $"This link was open until {code.ExpiresAt:u}. Decide the spend request on the District Direct page."),
            AnswerOutcome.Closed => Problems.Conflict("Approval closed",
                "This approval is no longer open: the spend was decided, cancelled or the patient has gone home. See the referral."),
            _ => Problems.Conflict("Already answered", "This approval has already been answered, by a text reply or from its link."),
        };
    }

    /// <summary>The spend request a link id leads to, if <paramref name="staff"/> may answer it; else the problem to answer with.</summary>
    private async Task<((ReplyCodeRecord Code, SpendRequest Spend)? Found, IResult? Problem)> FindAsync(string approvalId, StaffPrincipal staff)
    {
        if (await codes.FindByLinkAsync(approvalId) is not { Purpose: ReplyPurposes.DdApproval, Subject: { } spendId } code ||
            await ledger.FindAsync(spendId) is not { } spend || spend.ApprovalCode != code.Code)
            return (null, Problems.NotFound("There is no such approval: check the link, or open the District Direct page for the spend waiting for a decision."));
        // The approver the text went to, or a manager (who may decide any spend): never another officer (hazard H45).
        if (spend.ApproverId != staff.UserId && !staff.IsIn(Roles.DdManager))
            return (null, Problems.Forbidden("This approval was asked of another officer: only they or a District Direct manager can answer it here."));
        return ((code, spend), null);
    }
}
