using System.Globalization;
using Workflows.Messaging;

namespace Workflows.DistrictDirect;

/// <summary>
/// The District Direct texts to officers and managers that Messaging's SmsTemplates does not hold yet: a referral
/// reference, the hospital, amounts and suppliers; never a patient's name, NHS number, address or anything clinical.
/// </summary>
public static class DistrictDirectTexts
{
    private static readonly CultureInfo UkMoney = CultureInfo.GetCultureInfo("en-GB");

    public static string Money(long pence) => (pence / 100m).ToString("C", UkMoney);

    public static string Ref(string referralId) => Gsm7.Clean(referralId, 24);

    private static string Short(string s, int max) => Gsm7.Clean(s, max);

    public static string NewReferral(string referralId, string hospital, string source, DateTimeOffset fitForDischargeAt) =>
        $"District Direct: new referral {Ref(referralId)} from the {source} at {hospital}, fit for discharge {WorkingDay.DateOf(fitForDischargeAt):dd MMM}. Please assess the home today.";

    public static string AssessmentOverdue(string referralId, string hospital, int minutesDue) =>
        $"District Direct: referral {Ref(referralId)} at {hospital} has no home assessment {Hours(minutesDue)} after it arrived. Please assign an officer.";

    /// <summary>An approval asked without a reply code (SMS answers are off): the decision is made in the app.</summary>
    public static string ApprovalRequestInApp(string referralId, SpendRequest r) =>
        $"District Direct {Ref(referralId)}: spend of {Money(r.AmountPence)} ({Short(r.Supplier, 30)}) needs your decision in the District Direct app.";

    public static string ApprovalsOverdue(string referralId, string hospital, int count, long pence) =>
        $"District Direct: referral {Ref(referralId)} at {hospital} has {count} spend request(s), {Money(pence)}, undecided at the end of the working day. Please decide in the app.";

    public static string ReferralNeedsAttention(string referralId, string hospital) =>
        $"District Direct: referral {Ref(referralId)} at {hospital} is stuck: the system could not complete a step after several tries. " +
        "Please open the referral in the app and take it over.";

    public static string FundShort(SpendRequest r, long availablePence) =>
        $"District Direct: NOT approved {Short(r.Item, 40)}, {Money(r.AmountPence)}: the fund has {Money(availablePence)} available. Please speak to your manager.";

    public static string NeedsManager(SpendRequest r, long limitPence) =>
        $"District Direct: NOT approved {Short(r.Item, 40)}, {Money(r.AmountPence)}: above your {Money(limitPence)} limit for a referral, a manager must approve.";

    private static string Hours(int minutes) => minutes >= 120 ? $"{minutes / 60} hours" : $"{minutes} minutes";
}
