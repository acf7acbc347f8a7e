using System.Globalization;
using NodaTime;

namespace Workflows.DistrictDirect;

/// <summary>District Direct settings (section "DistrictDirect"). Timers are snapshotted into each referral's orchestration.</summary>
public sealed class DistrictDirectSettings
{
    /// <summary>
    /// Hours after a referral arrives by which an officer should have assessed the home; then the manager is told.
    /// A window rather than a clock time: referrals come round the clock from ED and paramedics, and "by 17:00"
    /// would escalate a 16:30 referral within half an hour but leave a 17:30 one for a day.
    /// </summary>
    public double AssessmentDueHours { get; set; } = 6;

    /// <summary>When the officers' working day ends (UK local time, HH:mm or HH:mm:ss): a spend request undecided then goes to the manager.</summary>
    public string WorkingDayEnds { get; set; } = "17:00";

    /// <summary>The most an officer may approve on one referral; above it a dd-manager must approve.</summary>
    public long OfficerLimitPence { get; set; } = 150_000;

    /// <summary>How long a patient blocked by their home waits without the service: the basis of bed days saved.</summary>
    public int AverageDelayDays { get; set; } = 10;

    /// <summary>Tries of each step of a referral before it is parked as needs-attention (see <see cref="WorkflowRetry"/>).</summary>
    public int StepAttempts { get; set; } = 6;

    /// <summary>The wait before a failed step's first retry; each later wait doubles.</summary>
    public double StepFirstRetrySeconds { get; set; } = 5;

    public ReferralTimings Timings() => new(TimeSpan.FromHours(AssessmentDueHours), WorkingDay.Parse(WorkingDayEnds).ToString("HH:mm:ss", CultureInfo.InvariantCulture),
        StepAttempts, TimeSpan.FromSeconds(StepFirstRetrySeconds));
}

/// <summary>
/// The timers a referral runs on, fixed when it starts so a settings change never alters a running referral's replay.
/// <see cref="StepAttempts"/> and <see cref="StepFirstRetry"/> are the retry policy of its steps (<see cref="WorkflowRetry"/>);
/// a referral started before they existed gets the defaults.
/// </summary>
public sealed record ReferralTimings(TimeSpan AssessmentDue, string WorkingDayEnds, int StepAttempts = 6, TimeSpan? StepFirstRetry = null);

/// <summary>The officers' working day in UK local time (GMT or BST as the date falls).</summary>
public static class WorkingDay
{
    public static readonly DateTimeZone UkTime = DateTimeZoneProviders.Tzdb["Europe/London"];

    public static LocalTime Parse(string hhmm) =>
        LocalTime.FromTimeOnly(TimeOnly.Parse(hhmm, CultureInfo.InvariantCulture));

    /// <summary>The next end of the working day after <paramref name="at"/>: today's if still ahead, else tomorrow's.</summary>
    public static DateTimeOffset EndAfter(DateTimeOffset at, string workingDayEnds)
    {
        var end = Parse(workingDayEnds);
        var local = Instant.FromDateTimeOffset(at).InZone(UkTime).LocalDateTime;
        var candidate = local.Date + end;
        if (candidate <= local) candidate = local.Date.PlusDays(1) + end;
        return candidate.InZoneLeniently(UkTime).ToDateTimeOffset();
    }

    /// <summary>The UK calendar date of an instant (bed days are counted by the date, as the midnight census does).</summary>
    public static LocalDate DateOf(DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(UkTime).Date;
}
