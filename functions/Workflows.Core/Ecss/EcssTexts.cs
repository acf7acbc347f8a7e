using System.Globalization;
using NodaTime;

namespace Workflows.Ecss;

/// <summary>
/// ECSS texts until Messaging/SmsTemplates lands (same names, so the move is a rename). No patient name, no
/// address, no clinical detail: a place is a postcode district, a case its short reference.
/// </summary>
internal static class EcssTexts
{
    public static string HcaOffer(string hcaName, string postcode, string code, int answerWithinMinutes) =>
        $"ECSS: Hi {First(hcaName)}, a crisis visit is needed near {postcode.Split(' ')[0]}. Can you go? " +
        $"Reply YES {code} or NO {code} within {Math.Max(answerWithinMinutes, 1)} min. Details open in the HCA page once you accept.";

    public static string HcaAccepted(string hcaName, string caseRef) =>
        $"ECSS: Thanks {First(hcaName)}, the visit is yours (case {caseRef}). Open the case in the HCA page for the address and what is needed.";

    public static string HcaAlreadyAttending(string hcaName, string code) =>
        $"ECSS: Thanks {First(hcaName)}, you already have a case to attend, so code {code} has gone to a colleague. Nothing more to do.";

    public static string CoordinatorNoHcaAccepted(string caseRef, int offersMade) =>
        $"ECSS: no HCA has accepted case {caseRef} after {offersMade} offer(s). Please arrange cover now and update the case.";

    public static string CoordinatorBridgingCheckInOverdue(string caseRef, int minutesOverdue) =>
        $"ECSS: the bridging check-in for case {caseRef} is {minutesOverdue} min overdue. Please contact the HCA and the family.";

    public static string CoordinatorBridgingBeyondLimit(string caseRef, int daysBridged, int limitDays) =>
        $"ECSS: case {caseRef} has been bridged for {daysBridged} days, past the {limitDays}-day limit. Please review substantive care for this case.";

    public static string FamilyTriaged(string contactName) =>
        $"Hello {First(contactName)}, this is the NHS palliative care team. A nurse has reviewed the call to 111 and is arranging the right help. " +
        "We will text you when we know more. If things get worse, call 111. Reply STOP to stop texts.";

    public static string FamilyHcaOnTheWay(string contactName, DateTimeOffset eta) =>
        $"Hello {First(contactName)}, this is the NHS palliative care team. A carer from our emergency support service is on the way " +
        $"and should arrive at about {Clock(eta)}. If things get worse, call 111. Reply STOP to stop texts.";

    public static string FamilyCarePackageInPlace(string contactName) =>
        $"Hello {First(contactName)}, this is the NHS palliative care team. The longer-term care is now in place, so our emergency " +
        "carer visits have ended. If you need help, call 111. Reply STOP to stop texts.";

    public static string FamilyBereavement(string contactName, string serviceName, string servicePhone) =>
        $"Hello {First(contactName)}, we are so sorry for your loss. If it would help to talk, {serviceName} offers bereavement support: " +
        $"{servicePhone}. Reply STOP to stop texts.";

    private static string First(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";

    private static string Clock(DateTimeOffset at) =>
        Instant.FromDateTimeOffset(at).InZone(Shift.UkTime).ToString("HH:mm", CultureInfo.InvariantCulture);
}
