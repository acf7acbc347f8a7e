using System.Globalization;
using System.Text;

namespace Workflows.Reporting;

/// <summary>One number of the report: where it sits in the JSON (<see cref="Key"/>), what it is, and its unit.</summary>
public sealed record ReportRow(string Section, string Measure, string Key, string Value, string Unit);

/// <summary>
/// The report as a flat table, the one the page shows and the CSV holds. Each row's key is the path of the same
/// number in the JSON, so the two can be checked against each other. Empty values mean "no data" (never 0).
/// </summary>
public static class PilotReportTable
{
    public static IReadOnlyList<ReportRow> Rows(PilotReport r)
    {
        var rows = new List<ReportRow>();
        void Add(string section, string measure, string key, object? value, string unit) =>
            rows.Add(new ReportRow(section, measure, key, Format(value), unit));
        void Dist(string section, string measure, string key, Distribution d, string unit)
        {
            Add(section, $"{measure}: cases measured", $"{key}.count", d.Count, "cases");
            Add(section, $"{measure}: median", $"{key}.median", d.Median, unit);
            Add(section, $"{measure}: 90th percentile", $"{key}.p90", d.P90, unit);
        }

        const string crisis = "Crisis care (SPOC and ECSS)";
        var c = r.CrisisCare;
        Add(crisis, "Calls from NHS 111", "crisisCare.calls", c.Calls, "calls");
        foreach (var (role, n) in c.CallsByCaller) Add(crisis, $"Calls from: {role}", $"crisisCare.callsByCaller.{role}", n, "calls");
        foreach (var (outcome, n) in c.TriageOutcomes) Add(crisis, $"Triage outcome: {outcome}", $"crisisCare.triageOutcomes.{outcome}", n, "cases");
        Add(crisis, "Referrals to ECSS", "crisisCare.ecssReferrals", c.EcssReferrals, "cases");
        Dist(crisis, "Time from call to triage", "crisisCare.callToTriageMinutes", c.CallToTriageMinutes, "minutes");
        Dist(crisis, "Time from ECSS referral to HCA accepted", "crisisCare.referralToHcaAcceptedMinutes", c.ReferralToHcaAcceptedMinutes, "minutes");
        Add(crisis, "Cases bridged by ECSS", "crisisCare.bridging.cases", c.Bridging.Cases, "cases");
        Add(crisis, "Bridging days in total", "crisisCare.bridging.totalDays", c.Bridging.TotalDays, "days");
        Add(crisis, "Bridging days per case: median", "crisisCare.bridging.days.median", c.Bridging.Days.Median, "days");
        Add(crisis, "Bridging days per case: 90th percentile", "crisisCare.bridging.days.p90", c.Bridging.Days.P90, "days");
        Add(crisis, "ECSS visits recorded", "crisisCare.bridging.visits", c.Bridging.Visits, "visits");
        foreach (var (reason, n) in c.ClosedByReason) Add(crisis, $"Closed: {reason}", $"crisisCare.closedByReason.{reason}", n, "cases");
        Add(crisis, "Still open", "crisisCare.stillOpen", c.StillOpen, "cases");

        const string success = "Measures of success";
        var m = r.MeasuresOfSuccess;
        Add(success, "Carers supported", "measuresOfSuccess.carersSupported", m.CarersSupported, "cases");
        Add(success, "Bereavement signposting sent", "measuresOfSuccess.bereavementSignpostingSent", m.BereavementSignpostingSent, "families");
        Add(success, "Referrals to VCFSE and community services", "measuresOfSuccess.communityReferrals", m.CommunityReferrals, "referrals");

        const string outcomes = "Outcomes";
        var dp = r.Outcomes.DeathsInPreferredPlace;
        Add(outcomes, "Deaths in the preferred place", "outcomes.deathsInPreferredPlace.count", dp.Count, "deaths");
        Add(outcomes, "Deaths whose preferred and actual place are known", "outcomes.deathsInPreferredPlace.of", dp.Of, "deaths");

        const string community = "Compassionate communities";
        Add(community, "Carers who answered a wellbeing check-in", "community.carersCheckedIn", r.Community.CarersCheckedIn, "carers");
        Add(community, "Bereaved families followed up", "community.bereavedFollowedUp", r.Community.BereavedFollowedUp, "families");
        Add(community, "Active volunteers", "community.activeVolunteers", r.Community.ActiveVolunteers, "volunteers");
        Add(community, "Active voluntary organisations", "community.activeOrganisations", r.Community.ActiveOrganisations, "organisations");

        const string dd = "District Direct";
        var d = r.DistrictDirect;
        Add(dd, "Referrals", "districtDirect.referrals", d.Referrals, "referrals");
        foreach (var (source, n) in d.ReferralsBySource) Add(dd, $"Referrals from: {source}", $"districtDirect.referralsBySource.{source}", n, "referrals");
        Add(dd, "Referrals needing spend", "districtDirect.needingSpend", d.NeedingSpend, "referrals");
        Add(dd, "Spend committed", "districtDirect.committedPence", d.CommittedPence, "pence");
        Add(dd, "Spend paid", "districtDirect.spentPence", d.SpentPence, "pence");
        Add(dd, "Patients discharged", "districtDirect.discharged", d.Discharged, "patients");
        Add(dd, "Bed days saved", "districtDirect.bedDaysSaved", d.BedDaysSaved, "days");
        if (d.Fund is { } f)
        {
            // The UK day the position is of: the period's last day, or today while the period runs.
            var fund = $"Fund {f.Year} on {ReportPeriod.DayOf(f.AsAt.AddTicks(-1)):yyyy-MM-dd}";
            Add(dd, $"{fund}: total", "districtDirect.fund.totalPence", f.TotalPence, "pence");
            Add(dd, $"{fund}: committed", "districtDirect.fund.committedPence", f.CommittedPence, "pence");
            Add(dd, $"{fund}: spent", "districtDirect.fund.spentPence", f.SpentPence, "pence");
            Add(dd, $"{fund}: available", "districtDirect.fund.availablePence", f.AvailablePence, "pence");
        }
        return rows;
    }

    /// <summary>RFC 4180 CSV with a header row.</summary>
    public static string Csv(PilotReport r)
    {
        var sb = new StringBuilder();
        sb.Append("section,measure,value,unit,key,from,to\r\n");
        foreach (var row in Rows(r))
            sb.AppendJoin(',', new[] { row.Section, row.Measure, row.Value, row.Unit, row.Key, r.From, r.To }.Select(Cell)).Append("\r\n");
        return sb.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>One CSV cell: quoted when needed; a leading '=', '+', '@' or non-number '-' is prefixed with ' so a spreadsheet shows it as text.</summary>
    public static string Cell(string s)
    {
        if (s.Length > 0 && "=+@".Contains(s[0]) || (s.StartsWith('-') && !double.TryParse(s, CultureInfo.InvariantCulture, out _)))
            s = "'" + s;
        return s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
    }
}
