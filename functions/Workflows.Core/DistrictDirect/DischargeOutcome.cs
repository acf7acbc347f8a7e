namespace Workflows.DistrictDirect;

/// <summary>
/// What a discharge achieved, in whole bed days by UK calendar date: without the service the patient would have left
/// <c>averageDelayDays</c> after being fit for discharge; bed days saved is that date minus the real one (never negative),
/// and DTOC days are the days spent in hospital after being fit to leave.
/// </summary>
public sealed record DischargeOutcome(int BedDaysSaved, int DtocDays)
{
    public static DischargeOutcome For(DateTimeOffset fitForDischargeAt, DateTimeOffset dischargedAt, int averageDelayDays)
    {
        var fit = WorkingDay.DateOf(fitForDischargeAt);
        var actual = WorkingDay.DateOf(dischargedAt);
        var dtoc = Math.Max(0, NodaTime.Period.DaysBetween(fit, actual));
        var expected = fit.PlusDays(averageDelayDays);
        return new DischargeOutcome(Math.Max(0, NodaTime.Period.DaysBetween(actual, expected)), dtoc);
    }
}
