using NodaTime;

namespace Workflows.CareDirectory;

/// <summary>What an ANP can refer a patient for; the directory's services each meet some of these.</summary>
public static class Needs
{
    public static readonly string[] Known =
    [
        "symptom-control", "medication", "nursing", "personal-care", "night-sitting", "specialist-advice",
        "carer-support", "emotional-support", "bereavement", "befriending", "equipment", "out-of-hours-gp",
    ];

    /// <summary>What District Direct links a patient homeless at discharge to (the duty to refer).</summary>
    public static readonly string[] Housing = ["housing-options", "homelessness-support"];

    /// <summary>Every need a service in the directory may meet.</summary>
    public static readonly string[] All = [.. Known, .. Housing];
}

/// <summary>How a service takes referrals: the route a person follows, and where to.</summary>
public sealed record ReferralRoute(string Method, string Contact, string? Notes = null)
{
    public const string Phone = "phone";

    /// <summary>
    /// phone: a number to dial; e-referral: a secure email or form; portal: an online form; self-referral: the family
    /// contact the service themselves (their number is texted in bereavement support); spoc: only through the SPOC ANP.
    /// </summary>
    public static readonly string[] Methods = [Phone, "e-referral", "portal", "self-referral", "spoc"];
}

/// <summary>An opening window on a weekday, local UK time; an end at or before the start runs past midnight.</summary>
public sealed record OpeningWindow(IsoDayOfWeek Day, LocalTime Opens, LocalTime Closes);

/// <summary>A service in the directory: who it helps with what, when it is open, how to refer.</summary>
public sealed record CareService(
    string Id,
    string Name,
    IReadOnlyList<string> Needs,
    bool AlwaysOpen,
    IReadOnlyList<OpeningWindow> Hours,
    bool OpenOnBankHolidays,
    ReferralRoute Referral,
    string? Area = null,
    string? Description = null)
{
    public static readonly DateTimeZone UkTime = DateTimeZoneProviders.Tzdb["Europe/London"];

    /// <summary>What the admin routes and the audit trail show of a service.</summary>
    public object View() => new
    {
        serviceId = Id, name = Name, needs = Needs, alwaysOpen = AlwaysOpen,
        hours = Hours.Select(h => new { day = h.Day.ToString().ToLowerInvariant(), opens = ServiceJson.Time(h.Opens), closes = ServiceJson.Time(h.Closes) }),
        openOnBankHolidays = OpenOnBankHolidays,
        referral = new { method = Referral.Method, contact = Referral.Contact, notes = Referral.Notes },
        area = Area, description = Description,
    };

    /// <summary>When the service is open at <paramref name="at"/>, the instant it next closes; otherwise null.</summary>
    public Instant? OpenUntil(Instant at, IReadOnlySet<LocalDate> bankHolidays)
    {
        if (AlwaysOpen) return Instant.MaxValue;
        var local = at.InZone(UkTime).LocalDateTime;
        // A window that started yesterday evening may still be running this morning.
        foreach (var start in new[] { local.Date.PlusDays(-1), local.Date })
        {
            if (!OpenOnBankHolidays && bankHolidays.Contains(start)) continue;
            foreach (var w in Hours.Where(h => h.Day == start.DayOfWeek))
            {
                var opens = start + w.Opens;
                var closes = (w.Closes <= w.Opens ? start.PlusDays(1) : start) + w.Closes;
                if (local >= opens && local < closes)
                    return closes.InZoneLeniently(UkTime).ToInstant();
            }
        }
        return null;
    }

    /// <summary>The next instant the service opens after <paramref name="at"/>, looking a fortnight ahead.</summary>
    public Instant? NextOpening(Instant at, IReadOnlySet<LocalDate> bankHolidays)
    {
        if (AlwaysOpen) return at;
        var local = at.InZone(UkTime).LocalDateTime;
        for (var d = 0; d < 14; d++)
        {
            var day = local.Date.PlusDays(d);
            if (!OpenOnBankHolidays && bankHolidays.Contains(day)) continue;
            var next = Hours.Where(h => h.Day == day.DayOfWeek).Select(h => day + h.Opens)
                .Where(t => t > local).OrderBy(t => t).Cast<LocalDateTime?>().FirstOrDefault();
            if (next is { } n) return n.InZoneLeniently(UkTime).ToInstant();
        }
        return null;
    }
}

/// <summary>
/// The area a service covers, as the directory writes it: comma-separated parts, each "County-wide", a postcode
/// district ("SK17") or a range of districts of one postcode area ("S40-S45").
/// </summary>
public static class ServiceArea
{
    public const string CountyWide = "County-wide";

    public const string Rule = "List postcode districts or ranges separated by commas (e.g. \"SK17, S40-S45\"), or write County-wide.";

    /// <summary>Whether <paramref name="area"/> covers a postcode district.</summary>
    public static bool Covers(string? area, string district)
    {
        if (string.IsNullOrWhiteSpace(area)) return false;
        foreach (var part in Parts(area))
        {
            if (part.Equals(CountyWide, StringComparison.OrdinalIgnoreCase) || part.Equals(district, StringComparison.OrdinalIgnoreCase)) return true;
            if (Range(part) is { } range && Split(district) is { } d && range.From.Area == d.Area && d.Number >= range.From.Number && d.Number <= range.To.Number)
                return true;
        }
        return false;
    }

    /// <summary>Whether every part of <paramref name="area"/> is one <see cref="Covers"/> understands.</summary>
    public static bool IsValid(string area) =>
        Parts(area).ToList() is { Count: > 0 } parts &&
        parts.All(p => p.Equals(CountyWide, StringComparison.OrdinalIgnoreCase) || Validation.Postcode.NormaliseDistrict(p) is not null || Range(p) is not null);

    private static IEnumerable<string> Parts(string area) => area.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static ((string Area, int Number) From, (string Area, int Number) To)? Range(string part)
    {
        var ends = part.Split('-', StringSplitOptions.TrimEntries);
        return ends.Length == 2 && Validation.Postcode.NormaliseDistrict(ends[0]) is not null && Split(ends[0]) is { } from && Split(ends[1]) is { } to &&
               from.Area == to.Area && from.Number <= to.Number
            ? (from, to) : null;
    }

    private static (string Area, int Number)? Split(string district)
    {
        var letters = new string(district.TakeWhile(char.IsAsciiLetter).ToArray()).ToUpperInvariant();
        var digits = new string(district.Skip(letters.Length).TakeWhile(char.IsAsciiDigit).ToArray());
        return letters.Length > 0 && digits.Length is > 0 and <= 2 && letters.Length + digits.Length == district.Length
            ? (letters, int.Parse(digits)) : null;
    }
}
