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
