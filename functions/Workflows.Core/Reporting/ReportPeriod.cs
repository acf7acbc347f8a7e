using System.Globalization;
using NodaTime;
using Workflows.CareDirectory;

namespace Workflows.Reporting;

/// <summary>
/// The days a report covers, both inclusive, as dates in UK local time (the board's days, whatever the clock
/// change): from 00:00 on <see cref="From"/> to 24:00 on <see cref="To"/>, Europe/London.
/// </summary>
public sealed record ReportPeriod(LocalDate From, LocalDate To)
{
    /// <summary>The longest range one report may cover, so a request cannot make the app scan years of data.</summary>
    public const int MaxDays = 3 * 366;

    /// <summary>Without dates: the 28 days up to and including today.</summary>
    public const int DefaultDays = 28;

    public DateTimeOffset Start => (From + LocalTime.Midnight).InZoneLeniently(CareService.UkTime).ToDateTimeOffset();

    public DateTimeOffset End => (To.PlusDays(1) + LocalTime.Midnight).InZoneLeniently(CareService.UkTime).ToDateTimeOffset();

    public bool Contains(DateTimeOffset at) => at >= Start && at < End;

    /// <summary>The UK date an instant falls on.</summary>
    public static LocalDate DayOf(DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(CareService.UkTime).Date;

    public IEnumerable<LocalDate> Days()
    {
        for (var d = From; d <= To; d = d.PlusDays(1)) yield return d;
    }

    /// <summary>Reads ?from=&amp;to= (yyyy-MM-dd); errors per field when they are not dates or not in order.</summary>
    public static (ReportPeriod? Period, Dictionary<string, string[]> Errors) Parse(string? from, string? to, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var today = DayOf(now);
        var toDate = ParseDate(to, "to", errors) ?? today;
        var fromDate = ParseDate(from, "from", errors) ?? toDate.PlusDays(-(DefaultDays - 1));
        if (errors.Count > 0) return (null, errors);
        if (fromDate > toDate) errors["from"] = ["Must be on or before 'to'."];
        else if (Period.DaysBetween(fromDate, toDate) + 1 > MaxDays) errors["to"] = [$"A report covers at most {MaxDays} days."];
        return errors.Count > 0 ? (null, errors) : (new ReportPeriod(fromDate, toDate), errors);
    }

    private static LocalDate? ParseDate(string? s, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        if (DateOnly.TryParseExact(s.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return LocalDate.FromDateOnly(d);
        errors[name] = ["Must be a date as yyyy-MM-dd."];
        return null;
    }

    public override string ToString() => $"{From:yyyy-MM-dd} to {To:yyyy-MM-dd}";
}
