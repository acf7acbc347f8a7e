using System.Text.Json;
using Workflows.Http;

namespace Workflows.Staff;

/// <summary>
/// A staff record as the admin route and seeds/staff.json write it:
/// <c>{"name","roles":[...],"phone","team"?,"hospital"?,"limitPence"?,"identities":[...]}</c>. Every field is checked
/// and every problem reported at once.
/// </summary>
public static class StaffForm
{
    public const int MaxIdentities = 10;
    public const long MaxLimitPence = 100_000_000;

    /// <summary>
    /// The record for <paramref name="staffId"/>, or null with the problems in <paramref name="f"/>. With
    /// <paramref name="hospitals"/>, a hospital must be one of them.
    /// </summary>
    public static StaffMember? Read(FieldReader f, string staffId, IReadOnlyCollection<string>? hospitals)
    {
        var name = f.String("name", maxLength: 100);
        if (!f.Has("roles")) f.Fail("roles", "This field is required: list the roles, or none to take every access away.");
        var roles = StaffIds.Canonical(f.Strings("roles", maxItems: Roles.All.Length, maxLength: 40, allowed: Roles.All));
        var phone = f.Phone("phone", ukMobile: true);
        var team = f.String("team", required: false, maxLength: 100);
        var hospital = f.Identifier("hospital", required: false);
        if (hospital is not null && hospitals is not null && !hospitals.Contains(hospital))
            f.Fail("hospital", $"There is no hospital '{hospital}'; use one of: {string.Join(", ", hospitals)}.");
        if (hospital is null && (roles.Contains(Roles.DdOfficer) || roles.Contains(Roles.DdManager)))
            f.Fail("hospital", "A District Direct officer or manager works at a hospital: name it (referrals there are texted to them).");
        var limit = f.Integer("limitPence", required: false, min: 0, max: MaxLimitPence);
        if (!f.Has("identities")) f.Fail("identities", "This field is required: list the sign-in ids, or none.");
        var raw = f.Strings("identities", maxItems: MaxIdentities, maxLength: 64);
        var identities = new List<string>();
        for (var i = 0; i < raw.Count; i++)
        {
            if (StaffIds.Identity(raw[i]) is not { } identity) f.Fail($"identities[{i}]", StaffIds.IdentityRule);
            else if (identities.Contains(identity)) f.Fail($"identities[{i}]", "Listed twice.");
            else identities.Add(identity);
        }
        return f.IsValid ? new StaffMember(staffId, name!, roles, phone, team, hospital, limit, identities) : null;
    }

    /// <summary>A record with its id, as seeds/staff.json lists them (<c>{"id",...}</c>), or null with the problems in <paramref name="f"/>.</summary>
    public static StaffMember? ReadListed(FieldReader f, IReadOnlyCollection<string>? hospitals)
    {
        var id = f.String("id", maxLength: StaffIds.MaxLength);
        if (id is not null && !StaffIds.IsStaffId(id)) f.Fail("id", StaffIds.StaffIdRule);
        return Read(f, id ?? "", hospitals);
    }

    /// <summary>seeds/staff.json: every record checked as the admin route checks it; a bad one throws, naming it.</summary>
    public static IReadOnlyList<StaffMember> ReadSeed(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var list = new List<StaffMember>();
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            var f = new FieldReader(item);
            if (ReadListed(f, hospitals: null) is not { } member)
                throw new InvalidDataException($"staff.json: " + string.Join("; ", f.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            list.Add(member);
        }
        return list;
    }
}
