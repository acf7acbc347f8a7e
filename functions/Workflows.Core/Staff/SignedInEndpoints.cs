using Microsoft.AspNetCore.Http;
using Workflows.Http;

namespace Workflows.Staff;

/// <summary>
/// GET /api/staff/me: who the app takes the caller to be (their staff record and the roles they may use), for the
/// sign-in page. In Azure the platform's token store is off (it would hand tokens to page scripts), so /.auth/me is not
/// there; this answers from the sign-in the host already resolved.
/// </summary>
public sealed class SignedInEndpoints
{
    public IResult Me(HttpRequest request)
    {
        // Not signed in, linked to no record (403 with the signInId an admin needs) or unreadable: the same answers as every route.
        if (request.HttpContext.Features.Get<SignedInCaller>() is not { State: SignInState.Linked } caller)
            return StaffPrincipal.Require(request, Roles.All).Problem!;
        var staff = caller.Staff!;
        string[] Known(IReadOnlySet<string> roles) => Roles.All.Where(roles.Contains).ToArray();
        return Results.Json(new
        {
            staffId = staff.UserId,
            name = staff.Name,
            roles = Known(staff.Roles),
            signInId = caller.SignInId,
            signInRoles = Known(caller.SignInRoles),
            recordRoles = Known(caller.RecordRoles),
        }, Json.Options);
    }
}
