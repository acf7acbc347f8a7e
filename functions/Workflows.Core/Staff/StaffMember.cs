using Microsoft.AspNetCore.Http;
using Workflows.Http;
using Workflows.Validation;

namespace Workflows.Staff;

/// <summary>
/// A person who works in the service: the app's staff id (what cases, offers, rosters and approvals name), their
/// roles in this service, the work phone texts go to, their team or hospital, a District Direct officer's own limit,
/// and the sign-in identities linked to them (Entra object ids in Azure; locally the id typed on the sign-in page).
/// <see cref="Phone"/> is null only for records made without a form (the first admin from its setting, test fixtures).
/// </summary>
public sealed record StaffMember(
    string Id, string Name, IReadOnlyList<string> Roles, string? Phone, string? Team, string? Hospital, long? LimitPence,
    IReadOnlyList<string> Identities)
{
    public bool Holds(string role) => Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>Whether two records say the same (the lists compared as sets: order carries no meaning).</summary>
    public bool SameAs(StaffMember other) =>
        (Id, Name, Phone, Team, Hospital, LimitPence) == (other.Id, other.Name, other.Phone, other.Team, other.Hospital, other.LimitPence) &&
        Roles.ToHashSet().SetEquals(other.Roles) && Identities.ToHashSet().SetEquals(other.Identities);

    /// <summary>What the admin routes and the audit trail show of a record.</summary>
    public object View() => new { staffId = Id, name = Name, roles = Roles, phone = Phone, team = Team, hospital = Hospital, limitPence = LimitPence, identities = Identities };
}

/// <summary>The forms a staff id and a sign-in identity take.</summary>
public static class StaffIds
{
    public const int MaxLength = RecordIds.MaxLength;

    /// <summary>A staff id (also a local sign-in id): a <see cref="RecordIds"/> id.</summary>
    public static bool IsStaffId(string? s) => RecordIds.IsValid(s);

    /// <summary>
    /// A sign-in identity as it is stored and looked up: an Entra object id (a GUID, written lower case, so any casing
    /// matches) or a local id; null when it is neither.
    /// </summary>
    public static string? Identity(string? s)
    {
        if (s is null) return null;
        if (s.Length == 36 && Guid.TryParseExact(s, "D", out var guid)) return guid.ToString("D");
        return IsStaffId(s) ? s : null;
    }

    public const string IdentityRule = "Must be an Entra object id (a GUID such as 3f2b8c1e-5d4a-4e0b-9a7c-2b1d0e6f8a93) or a local id (letters, digits, '-', '_', '.').";
    public const string StaffIdRule = RecordIds.Rule;

    /// <summary>The answer to a route whose {staffId} is not one.</summary>
    public static IResult NotAStaffId() => RecordIds.Refused("staffId");

    /// <summary>Roles as a record keeps them: known, each once, in the order of <see cref="Roles.All"/>.</summary>
    public static IReadOnlyList<string> Canonical(IEnumerable<string> roles)
    {
        var held = roles.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Http.Roles.All.Where(held.Contains).ToList();
    }
}
