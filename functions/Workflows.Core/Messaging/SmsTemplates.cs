using System.Globalization;
using NodaTime;

namespace Workflows.Messaging;

/// <summary>
/// Every text the app sends. No clinical detail, no patient name, no address: a person is greeted by their own
/// first name only, a place is a postcode district, a case is a short reference staff can read out. Variable
/// parts are cleaned into the GSM-7 alphabet and bounded so each text fits in two segments (306 characters).
/// A question (an HCA offer, an approval) ends with the link that answers it signed in (<see cref="AnswerLinks"/>), and
/// offers "Reply YES ..." too only when <c>byReply</c> says the sender takes replies: an alphanumeric sender is send-only.
/// </summary>
public static class SmsTemplates
{
    private static readonly DateTimeZone UkTime = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");

    // HCAs (Emergency Carer Support Service)

    public static string HcaOffer(string hcaName, string postcode, string code, int answerWithinMinutes, string? link, bool byReply)
    {
        var within = $"within {Math.Clamp(answerWithinMinutes, 1, 999)} min";
        return $"ECSS: Hi{Greet(hcaName)}, a crisis visit is needed near {District(postcode)} (details once you accept). Can you go? " +
            (byReply ? $"Reply YES {Code(code)} or NO {Code(code)} {within}" + (link is null ? "." : $", or answer at {Link(link)}")
                : $"Accept or decline {within} " + (link is null ? "in the HCA page." : $"at {Link(link)}"));
    }

    public static string OfferMovedOn(string? hcaName, string code) =>
        $"ECSS: Thank you{Greet(hcaName)}. The visit for code {Code(code)} has been covered, so there is nothing more " +
        "for you to do. We will text you about the next one.";

    public static string HcaAccepted(string hcaName, string caseRef) =>
        $"ECSS: Thanks{Greet(hcaName)}, the visit is yours (case {Ref(caseRef)}). Open the case in the HCA page for the " +
        "address and what is needed. Call the SPOC if you are delayed.";

    public static string HcaAlreadyAttending(string hcaName, string code) =>
        $"ECSS: Thanks{Greet(hcaName)}, you already have a case to attend, so the visit for code {Code(code)} is going to a " +
        "colleague. Nothing more to do.";

    // SPOC / ECSS coordinator

    public static string CoordinatorTriageOverdue(string caseRef, int minutesWaited) =>
        $"SPOC: case {Ref(caseRef)} has waited {Count(minutesWaited)} min for ANP triage. Please check the triage queue.";

    public static string CoordinatorCaseNeedsAttention(string caseRef) =>
        $"SPOC: case {Ref(caseRef)} is stuck: the system could not complete a step after several tries. " +
        "Please open the case and take it over.";

    public static string CoordinatorNoHcaAccepted(string caseRef, int offersMade) =>
        $"ECSS: no HCA has accepted case {Ref(caseRef)} after {Count(offersMade)} offer(s). Please arrange cover now " +
        "and update the case.";

    public static string CoordinatorBridgingCheckInOverdue(string caseRef, int minutesOverdue) =>
        $"ECSS: the bridging check-in for case {Ref(caseRef)} is {Count(minutesOverdue)} min overdue. " +
        "Please contact the HCA and the family.";

    public static string CoordinatorCarerStruggling(string caseRef, int score) =>
        $"ECSS: the carer for case {Ref(caseRef)} answered a wellbeing check-in with {Count(score)} of 5 (struggling). " +
        "Please call them today and open the case.";

    public static string CoordinatorCarerAskedForHelp(string caseRef) =>
        $"ECSS: the carer for case {Ref(caseRef)} answered a wellbeing check-in with HELP. Please call them today and open the case.";

    /// <summary>The coordinator's text for a carer's distress answer (1, 2 or HELP).</summary>
    public static string CoordinatorCarerDistress(string caseRef, string answer) =>
        int.TryParse(answer, out var n) ? CoordinatorCarerStruggling(caseRef, n) : CoordinatorCarerAskedForHelp(caseRef);

    public static string CoordinatorBridgingBeyondLimit(string caseRef, int daysBridged, int limitDays) =>
        $"ECSS: case {Ref(caseRef)} has been bridged for {Count(daysBridged)} days, past the {Count(limitDays)}-day limit. " +
        "Please review substantive care for this case.";

    // Family and carers (only those who consented to texts)

    public static string FamilyTriaged(string contactName) =>
        $"Hello{Greet(contactName)}, this is the NHS palliative care team. A nurse has reviewed the call to 111 and " +
        "is arranging the right help. We will text you when we know more. If things get worse, call 111. " + StopFooter;

    public static string FamilyHcaOnTheWay(string contactName, DateTimeOffset eta) =>
        $"Hello{Greet(contactName)}, this is the NHS palliative care team. A carer from our emergency support service " +
        $"is on the way and should arrive at about {Clock(eta)}. If things get worse, call 111. " + StopFooter;

    public static string FamilyCarePackageInPlace(string contactName) =>
        $"Hello{Greet(contactName)}, this is the NHS palliative care team. The longer-term care is now in place, so " +
        "our emergency carer visits have ended. If you need help, call 111. " + StopFooter;

    public static string FamilyBridgingEnded(string contactName) =>
        $"Hello{Greet(contactName)}, this is the NHS palliative care team. Our emergency carer visits have now ended. " +
        "Your care team will be in touch about ongoing support. If you need help, call 111. " + StopFooter;

    public static string FamilyBereavement(string contactName, string serviceName, string servicePhone) =>
        $"Hello{Greet(contactName)}, we are so sorry for your loss. If it would help to talk, " +
        $"{Gsm7.Clean(serviceName, 50)} offers bereavement support: {Gsm7.Clean(servicePhone, 20)}. " + StopFooter;

    /// <summary>A carer's wellbeing check-in: how they are coping, answered with their code; nothing of the patient.</summary>
    public static string CarerCheckIn(string contactName, string code) =>
        $"Hello{Greet(contactName)}, this is the NHS palliative care team checking in on you. How are you coping, from 1 " +
        $"(struggling) to 5 (coping well)? Reply with the number and {Code(code)}, e.g. 3 {Code(code)}, or HELP {Code(code)} " +
        "for us to call you. " + StopFooter;

    public static string CarerCheckInClosed() =>
        "Thank you for replying. That check-in has closed. If you need help now, call 111. " + StopFooter;

    /// <summary>A follow-up weeks or months after a death: the same support offered again, nothing of the patient.</summary>
    public static string FamilyBereavementFollowUp(string contactName, string serviceName, string servicePhone) =>
        $"Hello{Greet(contactName)}, this is the NHS palliative care team. We are thinking of you. If it would help to talk, " +
        $"{Gsm7.Clean(serviceName, 50)} offers bereavement support: {Gsm7.Clean(servicePhone, 20)}. " + StopFooter;

    // District Direct officers

    public static string OfficerApprovalRequest(string officerName, long amountPence, string referralRef, string code, string? link, bool byReply) =>
        $"District Direct: Hi{Greet(officerName)}, {Money(amountPence)} for referral {Ref(referralRef)} needs your decision. " +
        (byReply ? $"Reply APPROVE {Code(code)} or REJECT {Code(code)}" + (link is null ? "." : $", or open {Link(link)}")
            : "Approve or reject " + (link is null ? "in the District Direct app." : $"at {Link(link)}"));

    public static string OfficerDecisionConfirmed(string officerName, long amountPence, string referralRef, bool approved) =>
        $"District Direct: Thanks{Greet(officerName)}. Spend of {Money(amountPence)} for referral {Ref(referralRef)} is " +
        $"{(approved ? "approved" : "rejected")}.";

    public static string OfficerNoFundYear(string officerName, long amountPence, string referralRef, int fundYearStart) =>
        $"District Direct: NOT approved{Greet(officerName)}: spend of {Money(amountPence)} for referral {Ref(referralRef)}, as no " +
        $"{FundYearName(fundYearStart)} fund is open. Please ask a District Direct manager to open the year, then approve again.";

    // District Direct managers

    public static string ManagerFundYearEnding(string managerName, int fundYearStart, int daysLeft)
    {
        var next = Math.Clamp(fundYearStart, 2000, 2098) + 1;
        return $"District Direct: Hi{Greet(managerName)}, the {FundYearName(next - 1)} fund ends on 31 Mar {next} (in {Count(daysLeft)} days) and no " +
               $"{FundYearName(next)} fund is open. From 1 Apr {next} every approval will be refused: please open {FundYearName(next)} in the District Direct page.";
    }

    public static string ApprovalClosed(string code) =>
        $"District Direct: code {Code(code)} is no longer open (already decided or expired), so your reply changed " +
        "nothing. Open the referral to see where it stands.";

    // Staff who replied STOP: their work texts still come (H30)

    public static string StaffOptedOut() =>
        "This number is on the NHS care team's staff list, so texts about your work (alerts, visit offers, approvals) " +
        "will still come. To stop them, ask your coordinator or manager to change the number we hold for you.";

    public static string CoordinatorStaffOptedOut(string phone) =>
        $"SPOC: the staff phone ending {Ending(phone)} replied STOP. Alerts and offers still go to it. If the person has " +
        "left or changed number, update the rota or the District Direct register.";

    public static string CoordinatorRepliesPaused(string phone, int wrongCodes, int minutes) =>
        $"SPOC: replies from the staff phone ending {Ending(phone)} are ignored for {Count(minutes)} min after " +
        $"{Count(wrongCodes)} wrong reply codes. Offers to it will move on; please ring them.";

    // Anyone

    public static string OptedOut() =>
        "You will get no more texts from this NHS care service. Reply START to get them again.";

    public static string OptedIn() =>
        "You will get texts from this NHS care service again. Reply STOP to stop them.";

    private const string StopFooter = "Reply STOP to stop texts.";

    /// <summary>"Claire" from "Claire Ashworth" or "Ashworth, Claire": the given name only, never a surname.</summary>
    public static string FirstName(string? name)
    {
        var first = Validation.PersonName.GivenName(Gsm7.Clean(name, 100));
        first = new string(first.Where(c => char.IsLetter(c) || c is '-' or '\'').ToArray());
        return first.Length <= 20 ? first : first[..20];
    }

    private static string Greet(string? name) => FirstName(name) is { Length: > 0 } f ? " " + f : "";

    /// <summary>"DE22" from "DE22 3NE": the outward code only, never the street.</summary>
    public static string District(string postcode)
    {
        var p = Gsm7.Clean(postcode, 10).ToUpperInvariant().Replace(" ", "");
        var outward = p.Length > 4 && char.IsAsciiDigit(p[^3]) ? p[..^3] : p;
        outward = new string(outward.Where(char.IsAsciiLetterOrDigit).ToArray());
        return outward.Length is > 0 and <= 4 ? outward : "your area";
    }

    /// <summary>A link as the settings make it (<see cref="AnswerLinks"/>): URL characters only, last in its text so no punctuation joins it.</summary>
    private static string Link(string link) =>
        new(link.Where(c => char.IsAsciiLetterOrDigit(c) || ":/.-_?=".Contains(c)).Take(AnswerLinks.MaxBaseLength + 80).ToArray());

    private static string Code(string code) => new(code.Where(char.IsAsciiLetterOrDigit).Take(8).Select(char.ToUpperInvariant).ToArray());

    /// <summary>A reference staff can read out: a crisis case id becomes its short form (as on the case page).</summary>
    private static string Ref(string reference) =>
        reference.StartsWith("case-", StringComparison.Ordinal) && reference.Length >= 11
            ? reference[5..11].ToUpperInvariant()
            : Gsm7.Clean(reference, 24);

    /// <summary>"2026-27" for 2026 (a year from 2000 to 2098: anything else is clamped).</summary>
    private static string FundYearName(int startYear) => DistrictDirect.FundYear.Starting(Math.Clamp(startYear, 2000, 2098));

    /// <summary>The last three digits of a phone: enough for staff to know whose it is, never the number.</summary>
    private static string Ending(string phone) => new(phone.Where(char.IsAsciiDigit).TakeLast(3).ToArray());

    private static string Count(int n) => Math.Clamp(n, 0, 99_999).ToString(CultureInfo.InvariantCulture);

    private static string Money(long pence) => "£" + (Math.Max(pence, 0) / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);

    private static string Clock(DateTimeOffset at) =>
        Instant.FromDateTimeOffset(at).InZone(UkTime).ToString("HH:mm", Uk);
}
