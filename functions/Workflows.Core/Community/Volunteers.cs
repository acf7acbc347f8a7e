using NodaTime;
using Workflows.Ecss;
using Workflows.Http;
using Workflows.Validation;

namespace Workflows.Community;

/// <summary>What a volunteer may be asked to do for a family.</summary>
public static class VolunteerOffers
{
    public const string Befriending = "befriending", ComfortCalls = "comfort-calls", Sitting = "sitting",
        PracticalHelp = "practical-help", BereavementSupport = "bereavement-support";

    public static readonly string[] All = [Befriending, ComfortCalls, Sitting, PracticalHelp, BereavementSupport];
}

/// <summary>A voluntary, community, faith or social enterprise organisation whose volunteers the coordinator connects with families.</summary>
public sealed record VoluntaryOrganisation(string Id, string Name, string? Phone, bool Active)
{
    public object View() => new { organisationId = Id, name = Name, phone = Phone, active = Active };
}

/// <summary>
/// A volunteer's place in the service beside their staff record (name, sign-in and phone are the staff record's): the
/// organisation they volunteer with, what they offer, the postcode district they live in, the days they can give,
/// whether they are taking on a new family, the day they finished the service's training and the day of their last
/// DBS check.
/// </summary>
public sealed record Volunteer(
    string StaffId, string OrganisationId, IReadOnlyList<string> Offers, string HomeDistrict, IReadOnlyList<string> Days,
    bool TakingNewFamilies, DateOnly? TrainingCompletedOn, DateOnly? DbsCheckedOn)
{
    public static readonly string[] WeekDays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>The last day the DBS check counts (null: never checked).</summary>
    public DateOnly? DbsValidUntil(int validMonths) => DbsCheckedOn?.AddMonths(validMonths).AddDays(-1);

    /// <summary>Why the volunteer may not volunteer on <paramref name="day"/> (UK date), or null: trained and DBS checked within <paramref name="dbsValidMonths"/>.</summary>
    public string? NotActiveBecause(DateOnly day, int dbsValidMonths) =>
        TrainingCompletedOn is null ? "training not completed"
        : DbsCheckedOn is null ? "no DBS check recorded"
        : DbsValidUntil(dbsValidMonths) < day ? "DBS check out of date"
        : null;

    public object View(int dbsValidMonths) => new
    {
        staffId = StaffId, organisationId = OrganisationId, offers = Offers, homeDistrict = HomeDistrict, days = Days,
        takingNewFamilies = TakingNewFamilies, trainingCompletedOn = TrainingCompletedOn, dbsCheckedOn = DbsCheckedOn,
        dbsValidUntil = DbsValidUntil(dbsValidMonths),
    };
}

/// <summary>The forms of an organisation and a volunteer, as the coordinator's routes write them.</summary>
public static class VolunteerForms
{
    /// <summary><c>{"name","phone"?,"active"}</c>.</summary>
    public static VoluntaryOrganisation? Organisation(FieldReader f, string id)
    {
        var name = f.String("name", maxLength: 100);
        var phone = f.Phone("phone", required: false);
        var active = f.Bool("active");
        return f.IsValid ? new VoluntaryOrganisation(id, name!, phone, active!.Value) : null;
    }

    /// <summary>
    /// <c>{"organisationId","offers":[...],"homeDistrict","days":[...],"takingNewFamilies","trainingCompletedOn"?,"dbsCheckedOn"?}</c>;
    /// dates no later than <paramref name="today"/>, the organisation one of <paramref name="organisations"/>.
    /// </summary>
    public static Volunteer? Volunteer(FieldReader f, string staffId, DateOnly today, IReadOnlyCollection<string> organisations)
    {
        var organisation = f.Identifier("organisationId");
        if (organisation is not null && !organisations.Contains(organisation))
            f.Fail("organisationId", organisations.Count == 0
                ? "There is no voluntary organisation yet: add the volunteer's organisation first."
                : $"There is no organisation '{organisation}'; use one of: {string.Join(", ", organisations)}.");
        var offers = AtLeastOne(f, "offers", f.Strings("offers", maxItems: VolunteerOffers.All.Length, maxLength: 30, allowed: VolunteerOffers.All));
        var district = EcssPoolForm.HomeDistrict(f);
        var days = AtLeastOne(f, "days", f.Strings("days", maxItems: 7, maxLength: 3, allowed: Community.Volunteer.WeekDays));
        var taking = f.Bool("takingNewFamilies");
        var trained = f.Date("trainingCompletedOn", required: false, earliest: new DateOnly(2000, 1, 1), latest: today);
        var dbs = f.Date("dbsCheckedOn", required: false, earliest: new DateOnly(2000, 1, 1), latest: today);
        return f.IsValid
            ? new Volunteer(staffId, organisation!, InOrder(offers, VolunteerOffers.All), district!, InOrder(days, Community.Volunteer.WeekDays),
                taking!.Value, trained, dbs)
            : null;
    }

    /// <summary>An empty list is a problem of its own, said beside the other fields' (FieldReader says it only when they have none).</summary>
    private static IReadOnlyList<string> AtLeastOne(FieldReader f, string name, IReadOnlyList<string> read)
    {
        if (read.Count == 0 && !f.Errors.Keys.Any(k => k == name || k.StartsWith(name + "[", StringComparison.Ordinal)))
            f.Fail(name, "Must have at least one item.");
        return read;
    }

    private static IReadOnlyList<string> InOrder(IEnumerable<string> chosen, string[] all)
    {
        var set = chosen.ToHashSet(StringComparer.Ordinal);
        return all.Where(set.Contains).ToList();
    }

    /// <summary>Today in the UK: a DBS check and training are dated as people in England write them.</summary>
    public static DateOnly UkToday(TimeProvider time) =>
        DateOnly.FromDateTime(Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(Shift.UkTime).Date.ToDateTimeUnspecified());
}
