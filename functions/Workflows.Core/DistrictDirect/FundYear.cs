using NodaTime;

namespace Workflows.DistrictDirect;

/// <summary>The council's financial year, April to March, named as finance names it: "2026-27".</summary>
public static class FundYear
{
    public static string Of(DateTimeOffset at) => Of(WorkingDay.DateOf(at));

    public static string Of(LocalDate date)
    {
        var start = date.Month >= 4 ? date.Year : date.Year - 1;
        return $"{start}-{(start + 1) % 100:D2}";
    }

    public static bool IsValid(string? s) =>
        s is { Length: 7 } && s[4] == '-' && int.TryParse(s[..4], out var y) && int.TryParse(s[5..], out var n) && (y + 1) % 100 == n;

    /// <summary>The calendar year the financial year starts in: 2026 for "2026-27".</summary>
    public static int StartYear(string year) => int.Parse(year[..4]);

    /// <summary>A year's name from the calendar year it starts in: "2026-27" for 2026.</summary>
    public static string Starting(int startYear) => $"{startYear}-{(startYear + 1) % 100:D2}";

    /// <summary>The last day of the financial year: 31 March.</summary>
    public static LocalDate EndsOn(string year) => new(StartYear(year) + 1, 3, 31);

    public static string Next(string year) => Starting(StartYear(year) + 1);

    /// <summary>The short form used in spend request ids ("2026-27" -> "2627").</summary>
    public static string Code(string year) => year[2..4] + year[5..];

    public static string FromCode(string code) => $"20{code[..2]}-{code[2..]}";
}
