using Microsoft.AspNetCore.Http;
using Workflows.Audit;
using Workflows.DistrictDirect;
using Workflows.Http;

namespace Workflows.Staff;

/// <summary>The staff directory for admins: GET /api/admin/staff, GET|PUT /api/admin/staff/{staffId}.</summary>
public sealed class StaffAdminEndpoints(StaffDirectory directory, DistrictDirectRegister register)
{
    public async Task<IResult> List(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.Admin).Problem is { } denied) return denied;
        var all = await directory.AllAsync(request.HttpContext.RequestAborted);
        return Results.Json(new { staff = all.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Id).Select(m => m.View()) }, Json.Options);
    }

    public async Task<IResult> Get(HttpRequest request, string staffId)
    {
        if (StaffPrincipal.Require(request, Roles.Admin).Problem is { } denied) return denied;
        if (!StaffIds.IsStaffId(staffId)) return StaffIds.NotAStaffId();
        return await directory.FindAsync(staffId, request.HttpContext.RequestAborted) is { } m
            ? Results.Json(m.View(), Json.Options)
            : Problems.NotFound($"There is no staff record {staffId}.");
    }

    /// <summary>
    /// Creates or replaces a record. 409 when an identity is linked to someone else or when it would take the admin
    /// role from the last admin. Taking every role away keeps the record (and its audit trail) with no access.
    /// </summary>
    public async Task<IResult> Put(HttpRequest request, string staffId)
    {
        var (admin, denied) = StaffPrincipal.Require(request, Roles.Admin);
        if (denied is not null) return denied;
        if (!StaffIds.IsStaffId(staffId)) return StaffIds.NotAStaffId();
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var hospitals = (await register.HospitalsAsync()).Select(h => h.Id).ToList();
        var f = new FieldReader(body);
        if (StaffForm.Read(f, staffId, hospitals) is not { } member) return Problems.Validation(f.Errors);

        var result = await directory.SaveAsync(member, Actor.Of(admin!), request.HttpContext.RequestAborted);
        return result.Outcome switch
        {
            SaveOutcome.IdentityTaken => Problems.Make(StatusCodes.Status409Conflict, "Sign-in already linked",
                $"The sign-in id {result.Identity} is linked to {result.Holder?.Name ?? "another person"} ({result.Holder?.Id}): " +
                "one sign-in belongs to one person. Remove it from their record first if it is really this person's.",
                new Dictionary<string, string[]> { [$"identities[{member.Identities.ToList().IndexOf(result.Identity!)}]"] = [$"Linked to {result.Holder?.Id}."] }),
            SaveOutcome.LastAdmin => Problems.Conflict("The last admin",
                $"{member.Name} is the only admin: give another person the admin role before taking it from them, or nobody could manage staff."),
            SaveOutcome.Busy => Problems.Unavailable("The staff directory was being changed by someone else at the same moment; nothing was saved. Try again."),
            SaveOutcome.Created => Results.Json(member.View(), Json.Options, statusCode: StatusCodes.Status201Created),
            _ => Results.Json(member.View(), Json.Options),
        };
    }
}
