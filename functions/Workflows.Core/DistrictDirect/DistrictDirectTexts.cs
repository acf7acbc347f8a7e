using System.Globalization;

namespace Workflows.DistrictDirect;

/// <summary>
/// The District Direct texts to officers and managers: a referral reference, the hospital, amounts and suppliers;
/// never a patient's name, NHS number, address or anything clinical.
/// </summary>
public static class DistrictDirectTexts
{
    private static readonly CultureInfo UkMoney = CultureInfo.GetCultureInfo("en-GB");

    public static string Money(long pence) => (pence / 100m).ToString("C", UkMoney);

    public static string Ref(string referralId) => referralId.Length <= 24 ? referralId : referralId[..24];

    private static string Short(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    public static string NewReferral(string referralId, string hospital, string source, DateTimeOffset fitForDischargeAt) =>
        $"District Direct: new referral {Ref(referralId)} from the {source} at {hospital}, fit for discharge {WorkingDay.DateOf(fitForDischargeAt):dd MMM}. Please assess the home today.";

    public static string AssessmentOverdue(string referralId, string hospital, int minutesDue) =>
        $"District Direct: referral {Ref(referralId)} at {hospital} has no home assessment {Hours(minutesDue)} after it arrived. Please assign an officer.";

    public static string ApprovalRequest(string referralId, SpendRequest r, string? code) =>
        $"District Direct {Ref(referralId)}: approve {Short(r.Item, 40)}, {Money(r.AmountPence)} ({Short(r.Supplier, 30)})? " +
        (code is null ? "Decide in the District Direct app." : $"Reply APPROVE {code} or REJECT {code}.");

    public static string ApprovalsOverdue(string referralId, string hospital, int count, long pence) =>
        $"District Direct: referral {Ref(referralId)} at {hospital} has {count} spend request(s), {Money(pence)}, undecided at the end of the working day. Please decide in the app.";

    public static string Approved(SpendRequest r, FundBalance fund) =>
        $"District Direct: approved {Short(r.Item, 40)}, {Money(r.AmountPence)}. Fund available: {Money(fund.AvailablePence)}.";

    public static string Rejected(SpendRequest r) => $"District Direct: rejected {Short(r.Item, 40)}, {Money(r.AmountPence)}.";

    public static string FundShort(SpendRequest r, long availablePence) =>
        $"District Direct: NOT approved {Short(r.Item, 40)}, {Money(r.AmountPence)}: the fund has {Money(availablePence)} available. Please speak to your manager.";

    public static string NeedsManager(SpendRequest r, long limitPence) =>
        $"District Direct: NOT approved {Short(r.Item, 40)}, {Money(r.AmountPence)}: above your {Money(limitPence)} limit for a referral, a manager must approve.";

    private static string Hours(int minutes) => minutes >= 120 ? $"{minutes / 60} hours" : $"{minutes} minutes";
}
