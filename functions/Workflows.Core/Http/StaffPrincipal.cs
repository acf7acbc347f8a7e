using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Workflows.Http;

/// <summary>The staff roles of the HTTP contract (docs/openapi.yaml). A route names the roles that may call it.</summary>
public static class Roles
{
    public const string Anp = "anp";
    public const string Hca = "hca";
    public const string DdOfficer = "dd-officer";
    public const string DdManager = "dd-manager";
    public const string Coordinator = "coordinator";
    public const string Reporting = "reporting";
    /// <summary>Manages the staff directory, the ECSS pool and the rota pattern; sees no patient.</summary>
    public const string Admin = "admin";
    /// <summary>The volunteer coordinator: voluntary organisations, their volunteers, families matched to them; sees no clinical detail.</summary>
    public const string Community = "community";
    /// <summary>A trained volunteer of a voluntary organisation: the families matched to them (first name, area, contact), never clinical detail.</summary>
    public const string Volunteer = "volunteer";

    public static readonly string[] CrisisStaff = [Anp, Hca, Coordinator];
    /// <summary>Everyone who works with patients or the fund (the admin role is not among them).</summary>
    public static readonly string[] AllStaff = [Anp, Hca, Coordinator, DdOfficer, DdManager, Reporting];
    /// <summary>Every role a staff record may hold.</summary>
    public static readonly string[] All = [.. AllStaff, Community, Volunteer, Admin];
}

/// <summary>
/// A member of staff on a call. Parsed from X-MS-CLIENT-PRINCIPAL (base64 JSON: the local shape
/// <c>{"userId","userDetails","userRoles"}</c> or App Service Authentication's <c>{"claims":[{"typ","val"}]}</c>), it is the
/// sign-in: <see cref="UserId"/> is the Entra object id (locally the id typed on the sign-in page) and the roles are the
/// token's. Once resolved (<see cref="SignedInCaller"/>) it is the staff record: <see cref="UserId"/> is the staff id and the
/// roles are those both the sign-in and the record hold.
/// </summary>
public sealed record StaffPrincipal(string UserId, string Name, IReadOnlySet<string> Roles)
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    public bool IsIn(params string[] roles) => roles.Any(Roles.Contains);

    public static StaffPrincipal? FromHeader(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Length > 16 * 1024) return null;
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(header.Trim()));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            var roles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string? userId = Str(root, "userId"), name = Str(root, "userDetails");
            if (root.TryGetProperty("userRoles", out var ur) && ur.ValueKind == JsonValueKind.Array)
                foreach (var r in ur.EnumerateArray())
                    if (r.ValueKind == JsonValueKind.String) roles.Add(r.GetString()!);
            if (root.TryGetProperty("claims", out var claims) && claims.ValueKind == JsonValueKind.Array)
            {
                var roleType = Str(root, "role_typ") ?? "roles";
                var nameType = Str(root, "name_typ") ?? "name";
                foreach (var c in claims.EnumerateArray())
                {
                    var (typ, val) = (Str(c, "typ"), Str(c, "val"));
                    if (val is null) continue;
                    if (typ == roleType || typ == "roles") roles.Add(val);
                    else if (typ == nameType) name ??= val;
                    else if (typ is "http://schemas.microsoft.com/identity/claims/objectidentifier" or "oid") userId ??= val;
                }
            }
            // No fallback to the name: a display name is not an identity, and one could be made to read like a staff id.
            if (string.IsNullOrWhiteSpace(userId)) return null;
            return new StaffPrincipal(userId, name ?? userId, roles);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The header value for a principal, as App Service Authentication would send it (tests, the dev pages).</summary>
    public static string Encode(string userId, string name, params string[] roles) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { userId, userDetails = name, userRoles = roles })));

    /// <summary>
    /// The caller's staff record if it and their sign-in both hold one of <paramref name="roles"/>; otherwise the 401/403
    /// problem to answer with. Reads what the host's sign-in check (<see cref="SignedInCaller"/>) found for this request,
    /// and admits nobody when that check did not run.
    /// </summary>
    public static (StaffPrincipal? Staff, IResult? Problem) Require(HttpRequest request, params string[] roles)
    {
        var caller = request.HttpContext.Features.Get<SignedInCaller>();
        if (caller is null)
            return (null, Problems.Make(StatusCodes.Status500InternalServerError, "Sign-in was not checked",
                "This route ran without the host's staff sign-in check, so it admits nobody. This is a fault in the app, not in your request."));
        switch (caller.State)
        {
            case SignInState.NotSignedIn:
                return (null, Problems.Unauthorized("Sign in: this route needs a member of staff (X-MS-CLIENT-PRINCIPAL)."));
            case SignInState.Unavailable:
                return (null, Problems.Unavailable("Your staff record could not be read just now; nothing was done. Try again in a moment."));
            case SignInState.NotLinked:
                return (null, Problems.Make(StatusCodes.Status403Forbidden, "Your account is not linked to a staff record",
                    $"You are signed in, but no staff record is linked to your sign-in id {caller.SignInId}. Ask an admin of this service " +
                    "to link your account: give them that sign-in id.",
                    extensions: new Dictionary<string, object?> { ["signInId"] = caller.SignInId }));
        }
        var staff = caller.Staff!;
        if (staff.IsIn(roles)) return (staff, null);
        var needs = string.Join(", ", roles);
        var onlyToken = roles.Where(r => caller.SignInRoles.Contains(r)).ToList();
        var onlyRecord = roles.Where(r => caller.RecordRoles.Contains(r)).ToList();
        var detail = onlyToken.Count > 0
            ? $"This needs one of the roles: {needs}. Your sign-in carries {string.Join(", ", onlyToken)}, but your staff record does not: ask an admin of this service to add it."
            : onlyRecord.Count > 0
                ? $"This needs one of the roles: {needs}. Your staff record has {string.Join(", ", onlyRecord)}, but your sign-in does not: ask whoever assigns the app's roles in Entra ID to assign it."
                : $"This needs one of the roles: {needs}.";
        return (null, Problems.Forbidden(detail));
    }
}

public enum SignInState { NotSignedIn, NotLinked, Linked, Unavailable }

/// <summary>
/// Who is calling, found once per request by the host before the route runs (Staff.StaffSignIn, as an HttpContext
/// feature): not signed in, signed in with no staff record linked to the sign-in, or linked. When linked,
/// <see cref="Staff"/> is the staff record as a principal: the staff id, the record's name, and the roles held both by
/// the sign-in (Entra app roles) and by the record, so either an Entra administrator or an admin of this service
/// removing a role takes effect on the next request.
/// </summary>
public sealed record SignedInCaller(SignInState State, StaffPrincipal? Staff, string? SignInId,
    IReadOnlySet<string> SignInRoles, IReadOnlySet<string> RecordRoles)
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    public static readonly SignedInCaller NotSignedIn = new(SignInState.NotSignedIn, null, null, None, None);

    public static readonly SignedInCaller Unavailable = new(SignInState.Unavailable, null, null, None, None);

    public static SignedInCaller NotLinked(StaffPrincipal signIn) =>
        new(SignInState.NotLinked, null, signIn.UserId.Length <= 100 ? signIn.UserId : signIn.UserId[..100], signIn.Roles, None);

    public static SignedInCaller Linked(StaffPrincipal signIn, string staffId, string name, IReadOnlySet<string> recordRoles) =>
        new(SignInState.Linked,
            new StaffPrincipal(staffId, name, recordRoles.Where(signIn.Roles.Contains).ToHashSet(StringComparer.Ordinal)),
            signIn.UserId, signIn.Roles, recordRoles);
}
