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

    public static readonly string[] CrisisStaff = [Anp, Hca, Coordinator];
    public static readonly string[] AllStaff = [Anp, Hca, Coordinator, DdOfficer, DdManager, Reporting];
}

/// <summary>
/// The person behind a staff call, from X-MS-CLIENT-PRINCIPAL (base64 JSON). Reads the API.md shape
/// <c>{"userId","userDetails","userRoles"}</c> and App Service Authentication's <c>{"claims":[{"typ","val"}]}</c>.
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
            userId ??= name;
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

    /// <summary>The caller if they hold one of <paramref name="roles"/>; otherwise the 401/403 problem to answer with.</summary>
    public static (StaffPrincipal? Staff, IResult? Problem) Require(HttpRequest request, params string[] roles)
    {
        var staff = FromHeader(request.Headers[Header]);
        if (staff is null) return (null, Problems.Unauthorized("Sign in: this route needs a staff member (X-MS-CLIENT-PRINCIPAL)."));
        if (!staff.IsIn(roles)) return (null, Problems.Forbidden($"This needs one of the roles: {string.Join(", ", roles)}."));
        return (staff, null);
    }
}
