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
}

/// <summary>How a service takes referrals: the route a person follows, and where to.</summary>
public sealed record ReferralRoute(string Method, string Contact, string? Notes = null);

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
