using Microsoft.AspNetCore.Http;
using Workflows.Http;

namespace Workflows.DistrictDirect;

/// <summary>
/// The answers a spend decision gets when it may not be made, in one place for the decision route and the approval link:
/// an officer above their limit, a fund that cannot cover it, a request already decided. The ledger still decides for
/// good when it posts (of two decisions at once, one wins); these say why before anything is asked of it.
/// </summary>
public sealed class ApprovalChecks(FundLedger ledger, DistrictDirectRegister register, ApprovalRules rules)
{
    /// <summary>403 when <paramref name="staff"/> is an officer (not a dd-manager) whose approval would take the referral above their limit.</summary>
    public async Task<IResult?> LimitProblemAsync(StaffPrincipal staff, SpendRequest spend)
    {
        if (staff.IsIn(Roles.DdManager)) return null;
        var officer = await register.OfficerAsync(staff.UserId);
        var siblings = await ledger.ForReferralAsync(spend.FundYear, spend.ReferralId);
        var (limit, approved) = (rules.OfficerLimitPence(officer), ApprovalRules.ApprovedPence(siblings, spend.Id));
        return approved + spend.AmountPence <= limit ? null : OverLimit(spend, limit, approved);
    }

    /// <summary>403: approving <paramref name="spend"/> would take its referral above the officer's limit.</summary>
    public static IResult OverLimit(SpendRequest spend, long limitPence, long approvedPence) =>
        Problems.Make(StatusCodes.Status403Forbidden, "A manager must approve",
            $"Approving {DistrictDirectTexts.Money(spend.AmountPence)} would take this referral to " +
            $"{DistrictDirectTexts.Money(approvedPence + spend.AmountPence)}, above the officer limit of " +
            $"{DistrictDirectTexts.Money(limitPence)}: ask a District Direct manager (dd-manager) to approve it.",
            extensions: new Dictionary<string, object?> { ["limitPence"] = limitPence, ["approvedPence"] = approvedPence });

    /// <summary>409 when the request's fund year has no fund, or too little left for it.</summary>
    public async Task<IResult?> FundProblemAsync(SpendRequest spend) =>
        await ledger.BalanceAsync(spend.FundYear) is not { } fund ? NoFund(spend)
        : fund.AvailablePence < spend.AmountPence ? FundShort(spend, fund.AvailablePence)
        : null;

    public static IResult FundShort(SpendRequest spend, long availablePence) =>
        Problems.Conflict("The fund cannot cover this",
            $"The {spend.FundYear} fund has {DistrictDirectTexts.Money(availablePence)} available and this request is " +
            $"{DistrictDirectTexts.Money(spend.AmountPence)}; nothing was committed. Reduce the works or ask the manager about the fund.",
            new Dictionary<string, object?> { ["availablePence"] = availablePence });

    public static IResult NoFund(SpendRequest spend) =>
        Problems.Conflict("No fund for the year", $"There is no District Direct fund for {spend.FundYear}; nothing was committed.",
            new Dictionary<string, object?> { ["availablePence"] = 0L });

    public static IResult AlreadyDecided(SpendRequest spend) =>
        Problems.Conflict("Already decided", $"This spend request is {spend.Status}" +
            (spend.DecidedByName is null ? "." : $" (by {spend.DecidedByName} at {spend.DecidedAt:u})."));
}
