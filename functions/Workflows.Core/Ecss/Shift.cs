using NodaTime;
using NodaTime.Text;

namespace Workflows.Ecss;

public enum ShiftKind { Day, Night }

/// <summary>
/// One ECSS shift: days run 08:00-20:00 and nights 20:00-08:00 Europe/London, so a night is 13 hours long when
/// the clocks go back and 11 when they go forward. A shift is named by its local start date and kind
/// ("2026-10-24-night"), never by its UTC times.
/// </summary>
public readonly record struct Shift(LocalDate Date, ShiftKind Kind)
{
    public static readonly DateTimeZone UkTime = DateTimeZoneProviders.Tzdb["Europe/London"];
    public static readonly LocalTime DayStarts = new(8, 0);
    public static readonly LocalTime NightStarts = new(20, 0);

    public Instant Start => (Date + (Kind == ShiftKind.Day ? DayStarts : NightStarts)).InZoneLeniently(UkTime).ToInstant();

    public Instant End => Next.Start;

    public Duration Length => End - Start;

    public Shift Next => Kind == ShiftKind.Day ? new(Date, ShiftKind.Night) : new(Date.PlusDays(1), ShiftKind.Day);

    public Shift Previous => Kind == ShiftKind.Night ? new(Date, ShiftKind.Day) : new(Date.PlusDays(-1), ShiftKind.Night);

    /// <summary>The table key and the route's name for the shift: "2026-11-24-day".</summary>
    public string Key => $"{LocalDatePattern.Iso.Format(Date)}-{KindName(Kind)}";

    public override string ToString() => Key;

    /// <summary>The shift on duty at <paramref name="at"/>.</summary>
    public static Shift At(Instant at)
    {
        var local = at.InZone(UkTime).LocalDateTime;
        if (local.TimeOfDay >= NightStarts) return new(local.Date, ShiftKind.Night);
        if (local.TimeOfDay >= DayStarts) return new(local.Date, ShiftKind.Day);
        return new(local.Date.PlusDays(-1), ShiftKind.Night);
    }

    public static Shift At(DateTimeOffset at) => At(Instant.FromDateTimeOffset(at));

    public static string KindName(ShiftKind kind) => kind == ShiftKind.Day ? "day" : "night";

    public static ShiftKind? ParseKind(string? s) => s switch { "day" => ShiftKind.Day, "night" => ShiftKind.Night, _ => null };

    public static Shift? Parse(string key)
    {
        if (key.Length < 12) return null;
        var kind = ParseKind(key[11..]);
        var date = LocalDatePattern.Iso.Parse(key[..10]);
        return kind is null || !date.Success || key[10] != '-' ? null : new Shift(date.Value, kind.Value);
    }
}
