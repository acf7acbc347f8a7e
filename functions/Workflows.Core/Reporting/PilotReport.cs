using Workflows.CrisisCare;

namespace Workflows.Reporting;

/// <summary>The pilot's measures over a period, for the end-of-life board (GET /api/reports/pilot).</summary>
public sealed record PilotReport(
    string From,
    string To,
    string TimeZone,
    DateTimeOffset GeneratedAt,
    CrisisCareMeasures CrisisCare,
    SuccessMeasures MeasuresOfSuccess,
    OutcomeMeasures Outcomes,
    CommunityMeasures Community,
    DistrictDirectMeasures DistrictDirect,
    IReadOnlyList<string> Rules);

public sealed record DayCount(string Date, int Count);

public sealed record CrisisCareMeasures(
    int Calls,
    IReadOnlyDictionary<string, int> CallsByCaller,
    IReadOnlyList<DayCount> CallsByDay,
    IReadOnlyDictionary<string, int> TriageOutcomes,
    int EcssReferrals,
    Distribution CallToTriageMinutes,
    Distribution ReferralToHcaAcceptedMinutes,
    BridgingMeasures Bridging,
    IReadOnlyDictionary<string, int> ClosedByReason,
    /// <summary>Cases not closed: a referred case too, until someone closes it.</summary>
    int StillOpen);

/// <summary>ECSS bridging: from an HCA accepting until substantive care starts or the case closes (or now, if still bridging).</summary>
public sealed record BridgingMeasures(int Cases, double TotalDays, Distribution Days, int Visits);

/// <summary>Measures of success from the region's end-of-life ambitions (seed 003) that this system holds data for.</summary>
public sealed record SuccessMeasures(int CarersSupported, int BereavementSignpostingSent, int CommunityReferrals);

/// <summary>The standard end-of-life outcome measure: deaths in the place the patient preferred, of those that can be judged.</summary>
public sealed record OutcomeMeasures(Proportion DeathsInPreferredPlace);

public sealed record Proportion(int Count, int Of);

/// <summary>Compassionate communities (seed 003's measures): what the service does with families beyond the crisis.</summary>
/// <summary>Active volunteers and organisations are the register as it stands on the period's last day (or today).</summary>
public sealed record CommunityMeasures(int CarersCheckedIn, int BereavedFollowedUp, int ActiveVolunteers = 0, int ActiveOrganisations = 0);

public sealed record DistrictDirectMeasures(
    int Referrals,
    IReadOnlyDictionary<string, int> ReferralsBySource,
    int NeedingSpend,
    long CommittedPence,
    long SpentPence,
    int Discharged,
    int BedDaysSaved,
    FundPosition? Fund);

/// <summary>
/// Builds the report from plain facts: no storage, no clock, so every rule here is unit-tested.
/// A crisis case belongs to the period of its 111 call; a District Direct referral to the period it arrived in.
/// </summary>
public static class PilotReportBuilder
{
    public const string ClosedBeforeTriage = "closed-before-triage";
    public const string AwaitingTriage = "awaiting-triage";

    /// <summary>Who is counted as a carer supported: a family member or carer who called and got an ANP's response.</summary>
    public static readonly string[] CarerCallers = ["family", "carer"];

    /// <summary>Directory services run by the voluntary, community, faith and social enterprise sector or community groups.</summary>
    public static readonly string[] CommunityServiceIds = ["bereavement-groups", "vcfse-befriending", "night-sitting"];

    public static readonly string[] Sources = ["ward", "ed", "paramedic"];

    public static readonly IReadOnlyList<string> Rules =
    [
        "Days are UK local days (Europe/London), 'from' and 'to' both included.",
        "A crisis case counts in the period its 111 call was received; a District Direct referral in the period it arrived.",
        "Median: the middle value, or the mean of the two middle values when the count is even.",
        "90th percentile: nearest rank, the value at position ceil(0.9 × n) of the values sorted ascending.",
        "Time to triage: from the 111 call being received to the ANP's recorded decision.",
        "Time to HCA: from the ANP's referral to ECSS to an HCA accepting the visit.",
        "Bridging days: from an HCA accepting until substantive care starts or the case closes; cases still bridging count up to the time of the report.",
        "Carers supported: cases where a family member or carer called and an ANP responded, or an ECSS visit gave emotional support.",
        "Community referrals: ANP referrals to bereavement groups, VCFSE befriending or night sitting.",
        "Deaths in the preferred place: of the cases closed as died whose preferred place (recorded at triage) and place of death were both home, care home, hospice or hospital, those where the two are the same.",
        "Carers checked in: cases whose carer answered at least one wellbeing check-in (1 struggling to 5 coping well, or HELP).",
        "Active volunteers: volunteers on the register, trained, with a DBS check that counted on the period's last day (today for a period not yet over), in an active organisation; active organisations: those with at least one. The register keeps no history: a volunteer removed since is not counted.",
        "Bereaved families followed up: cases whose family was texted at least one bereavement follow-up after the death (weeks or months after it; a family that said STOP is not texted).",
        "Still open: cases not closed, referred cases included (a referral hands care on; the case stays open until it is closed).",
        "Spend: committed and spent pence of the referrals counted in the period; the fund line is the financial year the period ends in, as it stood at the end of the period (now, for a period not yet over).",
    ];

    public static PilotReport Build(ReportPeriod period, IEnumerable<CaseFacts> cases, IEnumerable<DischargeFacts> referrals,
        FundPosition? fund, DateTimeOffset now)
    {
        var inPeriod = cases.Where(c => period.Contains(c.ReceivedAt)).ToList();
        var dd = referrals.Where(r => period.Contains(r.ReceivedAt)).ToList();
        return new PilotReport(
            period.From.ToString("yyyy-MM-dd", null), period.To.ToString("yyyy-MM-dd", null), "Europe/London", now,
            CrisisCare(period, inPeriod, now), Success(inPeriod), Outcomes(inPeriod),
            new CommunityMeasures(inPeriod.Count(c => c.CarerCheckedIn), inPeriod.Count(c => c.BereavedFollowedUp)), DistrictDirect(dd, fund), Rules);
    }

    private static CrisisCareMeasures CrisisCare(ReportPeriod period, List<CaseFacts> cases, DateTimeOffset now)
    {
        var byDay = cases.GroupBy(c => ReportPeriod.DayOf(c.ReceivedAt)).ToDictionary(g => g.Key, g => g.Count());
        var outcomes = Count(cases.Select(Outcome), [.. TriageOutcome.All, ClosedBeforeTriage, AwaitingTriage]);
        var toTriage = cases.Where(c => c.TriagedAt is not null).Select(c => Minutes(c.ReceivedAt, c.TriagedAt!.Value));
        var toHca = cases.Where(c => c.EcssReferredAt is not null && c.HcaAcceptedAt is not null)
            .Select(c => Minutes(c.EcssReferredAt!.Value, c.HcaAcceptedAt!.Value));
        var bridged = cases.Where(c => c.BridgingSince is not null)
            .Select(c => Math.Max(0, ((c.BridgingEndedAt ?? c.ClosedAt ?? now) - c.BridgingSince!.Value).TotalDays)).ToList();
        var closed = cases.Where(c => c.Status == CaseStatus.Closed).ToList();
        return new CrisisCareMeasures(
            cases.Count,
            Count(cases.Select(c => c.CallerRole), CallReport.CallerRoles),
            period.Days().Select(d => new DayCount(d.ToString("yyyy-MM-dd", null), byDay.GetValueOrDefault(d))).ToList(),
            outcomes,
            outcomes[TriageOutcome.Ecss],
            Distribution.Of(toTriage),
            Distribution.Of(toHca),
            new BridgingMeasures(bridged.Count, Math.Round(bridged.Sum(), 1, MidpointRounding.AwayFromZero), Distribution.Of(bridged), cases.Sum(c => c.Visits)),
            Count(closed.Select(c => c.CloseReason ?? "other"), [.. CloseRequest.Reasons, TriageOutcome.Advice, TriageOutcome.Prescription]),
            cases.Count(c => c.Status != CaseStatus.Closed));
    }

    private static string Outcome(CaseFacts c) =>
        c.TriageOutcome ?? (c.Status == CaseStatus.Closed ? ClosedBeforeTriage : AwaitingTriage);

    private static SuccessMeasures Success(List<CaseFacts> cases) => new(
        cases.Count(c => c.CarerSupportVisit || (c.TriagedAt is not null && CarerCallers.Contains(c.CallerRole))),
        cases.Count(c => c.BereavementSignposted),
        cases.Count(c => c.ReferredServiceId is { } s && CommunityServiceIds.Contains(s)));

    private static OutcomeMeasures Outcomes(List<CaseFacts> cases)
    {
        var judged = cases.Where(c => c.CloseReason == CloseRequest.Died)
            .Select(c => PlaceOfDeath.InPreferredPlace(c.PreferredPlaceOfDeath, c.PlaceOfDeath)).OfType<bool>().ToList();
        return new OutcomeMeasures(new Proportion(judged.Count(inPlace => inPlace), judged.Count));
    }

    private static DistrictDirectMeasures DistrictDirect(List<DischargeFacts> referrals, FundPosition? fund)
    {
        var discharged = referrals.Where(r => r.DischargedAt is not null).ToList();
        return new DistrictDirectMeasures(
            referrals.Count,
            Count(referrals.Select(r => r.Source), Sources),
            referrals.Count(r => r.NeededSpend),
            referrals.Sum(r => r.CommittedPence),
            referrals.Sum(r => r.SpentPence),
            discharged.Count,
            discharged.Sum(r => r.BedDaysSaved),
            fund);
    }

    /// <summary>Counts per key: the known keys first, in their order and zero when absent, then any others seen.</summary>
    private static Dictionary<string, int> Count(IEnumerable<string> values, IEnumerable<string> known)
    {
        var counts = known.Distinct().ToDictionary(k => k, _ => 0);
        foreach (var v in values) counts[v] = counts.GetValueOrDefault(v) + 1;
        return counts;
    }

    private static double Minutes(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, (to - from).TotalMinutes);
}
