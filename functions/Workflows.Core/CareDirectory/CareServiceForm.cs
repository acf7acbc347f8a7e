using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;
using Workflows.Http;
using Workflows.Validation;

namespace Workflows.CareDirectory;

/// <summary>
/// A service as the admin route and seeds/services.json write it:
/// <c>{"name","needs":[...],"alwaysOpen","hours":[{"day","opens","closes"}],"openOnBankHolidays","referral":{"method","contact","notes"?},"area"?,"description"?}</c>.
/// Hours are UK local time; a window that closes at or before it opens runs past midnight (00:00 to 00:00 is the whole
/// day). Every problem is reported at once.
/// </summary>
public static partial class CareServiceForm
{
    public const int MaxWindows = 28;

    private static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    private static readonly LocalTimePattern HoursAndMinutes = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    /// <summary>A number to dial: E.164, or a UK short number such as 111 or 111*5.</summary>
    [GeneratedRegex(@"^[0-9]{3,5}(\*[0-9]{1,2})?$")]
    private static partial Regex ShortNumber();

    public static CareService? Read(FieldReader f, string id)
    {
        var name = f.String("name", maxLength: 100);
        var needs = f.Strings("needs", required: true, maxItems: Needs.All.Length, maxLength: 40, allowed: Needs.All).Distinct().ToList();
        var alwaysOpen = f.Bool("alwaysOpen");
        var hours = new List<OpeningWindow>();
        foreach (var w in f.Objects("hours", maxItems: MaxWindows))
        {
            var day = w.OneOf("day", Days);
            var (opens, closes) = (Time(w, "opens"), Time(w, "closes"));
            if (day is not null && opens is not null && closes is not null)
                hours.Add(new OpeningWindow(Enum.Parse<IsoDayOfWeek>(day, ignoreCase: true), opens.Value, closes.Value));
        }
        if (alwaysOpen == false && hours.Count == 0 && f.IsValid) f.Fail("hours", "A service that is not always open needs its opening hours.");
        if (alwaysOpen == true && hours.Count > 0) f.Fail("hours", "An always-open service has no opening hours: leave them out.");
        var bankHolidays = f.Bool("openOnBankHolidays");
        ReferralRoute? route = null;
        if (f.Object("referral") is { } r)
        {
            var method = r.OneOf("method", ReferralRoute.Methods);
            var contact = r.String("contact", maxLength: 200);
            if (method == ReferralRoute.Phone && contact is not null && !Phones.IsE164(contact) && !ShortNumber().IsMatch(contact))
                r.Fail("contact", "A phone route needs a number to dial: E.164 (e.g. +441164960101) or a short number such as 111*5.");
            var notes = r.String("notes", required: false, maxLength: 500, multiline: true);
            if (method is not null && contact is not null) route = new ReferralRoute(method, contact, notes);
        }
        var area = f.String("area", required: false, maxLength: 200);
        if (area is not null && !ServiceArea.IsValid(area)) f.Fail("area", ServiceArea.Rule);
        var description = f.String("description", required: false, maxLength: 500, multiline: true);
        return f.IsValid ? new CareService(id, name!, needs, alwaysOpen!.Value, hours, bankHolidays!.Value, route!, area, description) : null;
    }

    private static LocalTime? Time(FieldReader f, string name)
    {
        var s = f.String(name, maxLength: 5);
        if (s is null) return null;
        var parsed = HoursAndMinutes.Parse(s);
        if (s.Length == 5 && parsed.Success) return parsed.Value;
        f.Fail(name, "Must be a time as HH:mm (24-hour, UK local time), e.g. 08:00 or 22:30.");
        return null;
    }

    /// <summary>The bank holidays of a list <c>[{"date","name"}]</c> at <paramref name="name"/>, each in <paramref name="year"/> when given.</summary>
    public static IReadOnlyList<BankHoliday> BankHolidays(FieldReader f, string name, int? year, int maxItems)
    {
        var list = new List<BankHoliday>();
        foreach (var h in f.Objects(name, maxItems: maxItems))
        {
            var date = h.Date("date");
            var holiday = h.String("name", maxLength: 100);
            if (date is { } d && year is { } y && d.Year != y) h.Fail("date", $"Must be a date in {y}.");
            else if (date is { } d2 && list.Any(x => x.Date == LocalDate.FromDateOnly(d2))) h.Fail("date", "Listed twice.");
            else if (date is { } d3 && holiday is not null) list.Add(new BankHoliday(LocalDate.FromDateOnly(d3), holiday));
        }
        return list;
    }
}
