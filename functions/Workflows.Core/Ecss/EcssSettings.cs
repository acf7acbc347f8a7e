using NodaTime;
using NodaTime.Text;

namespace Workflows.Ecss;

/// <summary>ECSS settings (section "Ecss"). Times are fractional so tests can run a shift's worth of timers in seconds.</summary>
public sealed class EcssSettings
{
    /// <summary>The ECSS team whose roster, HCAs and bookings this app serves (one county's on-call pool).</summary>
    public string Team { get; set; } = "derbyshire";

    /// <summary>How long an HCA has to answer an offer before it goes to the next.</summary>
    public double OfferTimeoutMinutes { get; set; } = 10;

    /// <summary>How long to wait before offering again when nobody on shift accepted.</summary>
    public double RetryIntervalMinutes { get; set; } = 30;

    /// <summary>The longest a bridged patient may go without a visit or check-in before the coordinator is told.</summary>
    public double CheckInHours { get; set; } = 12;

    /// <summary>Bridging beyond this is escalated to the coordinator, and again every day it runs over.</summary>
    public double BridgingLimitHours { get; set; } = 72;

    /// <summary>How often an over-limit bridge is escalated again.</summary>
    public double BridgingOverLimitRepeatHours { get; set; } = 24;

    /// <summary>When set, bereavement signposting goes this long after a death instead of the next morning at 09:00 (tests, demos).</summary>
    public double? SignpostingDelayMinutes { get; set; }

    /// <summary>
    /// When a bereaved family is followed up after a death: ISO 8601 periods, comma-separated (2 weeks, 3, 6 and 13
    /// months). A period of days, weeks or months goes at 09:00 UK time on its day; one of hours or minutes only
    /// (PT2M: tests, demos) at that time after the death. Empty: no follow-ups.
    /// </summary>
    public string BereavementFollowUps { get; set; } = "P14D,P3M,P6M,P13M";

    /// <summary>The follow-up periods; throws at start-up on a value that is not a list of positive periods.</summary>
    public IReadOnlyList<Period> FollowUpPeriods()
    {
        var periods = new List<Period>();
        foreach (var text in BereavementFollowUps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parsed = PeriodPattern.NormalizingIso.Parse(text);
            var period = parsed.Success ? parsed.Value : null;
            if (period is null || period.Equals(Period.Zero)
                || new long[] { period.Years, period.Months, period.Weeks, period.Days, period.Hours, period.Minutes, period.Seconds }.Any(n => n < 0))
                throw new InvalidOperationException($"Ecss__BereavementFollowUps: '{text}' is not a positive ISO 8601 period such as P14D, P3M or PT2M.");
            periods.Add(period);
        }
        return periods;
    }

    /// <summary>Carers' wellbeing check-ins: the first this long into bridging.</summary>
    public double CarerCheckInFirstHours { get; set; } = 48;

    /// <summary>Then again this often while bridging lasts.</summary>
    public double CarerCheckInEveryHours { get; set; } = 168;

    /// <summary>And once this long after care is in place (the case closed as package).</summary>
    public double CarerCheckInAfterCareHours { get; set; } = 168;

    /// <summary>How long a check-in's reply code stays open.</summary>
    public double CarerCheckInReplyHours { get; set; } = 24;

    /// <summary>
    /// The UK hours a check-in text may go, "HH:mm-HH:mm" (10:00-18:00): not in the morning a carer up in the night may
    /// sleep through, nor in the evening with the patient; a check-in due outside goes at the next start. Empty: any time
    /// (tests with timers of seconds).
    /// </summary>
    public string CarerCheckInDaytime { get; set; } = "10:00-18:00";

    /// <summary>The daytime hours, or null for any time; throws at start-up on a value that is not two times, the first earlier.</summary>
    public (TimeSpan From, TimeSpan To)? CarerCheckInHours()
    {
        if (string.IsNullOrWhiteSpace(CarerCheckInDaytime)) return null;
        var parts = CarerCheckInDaytime.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && TimeOnly.TryParseExact(parts[0], "HH:mm", out var from) && TimeOnly.TryParseExact(parts[1], "HH:mm", out var to) && from < to)
            return (from.ToTimeSpan(), to.ToTimeSpan());
        throw new InvalidOperationException($"Ecss__CarerCheckInDaytime must be UK hours as HH:mm-HH:mm, the first earlier (e.g. 10:00-18:00), or empty; it is '{CarerCheckInDaytime}'.");
    }

    public CarerCheckInTimings CarerCheckIns() => new(TimeSpan.FromHours(CarerCheckInFirstHours), TimeSpan.FromHours(CarerCheckInEveryHours),
        TimeSpan.FromHours(CarerCheckInAfterCareHours), TimeSpan.FromHours(CarerCheckInReplyHours), CarerCheckInHours()?.From, CarerCheckInHours()?.To);

    public EcssTimings Timings() => new(
        Team,
        TimeSpan.FromMinutes(OfferTimeoutMinutes),
        TimeSpan.FromMinutes(RetryIntervalMinutes),
        TimeSpan.FromHours(CheckInHours),
        TimeSpan.FromHours(BridgingLimitHours),
        TimeSpan.FromHours(BridgingOverLimitRepeatHours),
        SignpostingDelayMinutes is { } m ? TimeSpan.FromMinutes(m) : null);
}

/// <summary>The ECSS timers of one case, fixed when the ANP refers it so a settings change never alters its replay.</summary>
public sealed record EcssTimings(
    string Team,
    TimeSpan OfferTimeout,
    TimeSpan RetryInterval,
    TimeSpan CheckIn,
    TimeSpan BridgingLimit,
    TimeSpan OverLimitRepeat,
    TimeSpan? SignpostingDelay);
