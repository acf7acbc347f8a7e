using Microsoft.AspNetCore.Http;
using NodaTime.Text;
using Workflows.Audit;
using Workflows.Http;
using Workflows.Staff;

namespace Workflows.Ecss;

/// <summary>
/// The ECSS on-call pool and rota pattern for admins: GET /api/admin/ecss/pool, PUT|DELETE /api/admin/ecss/pool/{staffId},
/// GET|PUT /api/admin/ecss/rota-pattern. Every change is audited by the roster.
/// </summary>
public sealed class EcssPoolEndpoints(Roster roster, StaffDirectory staff, EcssSettings settings)
{
    /// <summary>Everyone in the pool, with what their staff record says and whether they can be offered a case now.</summary>
    public async Task<IResult> Pool(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.Admin).Problem is { } denied) return denied;
        var people = (await staff.AllAsync()).ToDictionary(m => m.Id);
        var offered = (await roster.HcasAsync()).Select(h => h.Id).ToHashSet();
        return Results.Json(new
        {
            team = settings.Team,
            hcas = (await roster.PoolAsync()).OrderBy(p => p.StaffId, StringComparer.Ordinal).Select(p => new
            {
                staffId = p.StaffId,
                name = people.TryGetValue(p.StaffId, out var m) ? m.Name : null,
                homeDistrict = p.HomeDistrict,
                canBeOffered = offered.Contains(p.StaffId),
            }),
        }, Json.Options);
    }

    /// <summary>PUT /api/admin/ecss/pool/{staffId} <c>{"homeDistrict"}</c>: the person's staff record must hold the hca role.</summary>
    public async Task<IResult> PutInPool(HttpRequest request, string staffId)
    {
        var (admin, denied) = StaffPrincipal.Require(request, Roles.Admin);
        if (denied is not null) return denied;
        if (!StaffIds.IsStaffId(staffId)) return StaffIds.NotAStaffId();
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var district = EcssPoolForm.HomeDistrict(f);
        if (!f.IsValid) return Problems.Validation(f.Errors);
        if (await staff.FindAsync(staffId) is not { } member) return Problems.NotFound($"There is no staff record {staffId}: add the person first.");
        if (!member.Holds(Roles.Hca))
            return Problems.Conflict("Not an HCA", $"{member.Name}'s staff record does not hold the hca role: give them the role before putting them in the pool.");
        var place = new PoolPlace(staffId, district!);
        var added = !(await roster.PoolAsync()).Any(p => p.StaffId == staffId);
        await roster.PutInPoolAsync(place, Actor.Of(admin!));
        return Results.Json(new { team = settings.Team, staffId, homeDistrict = place.HomeDistrict }, Json.Options,
            statusCode: added ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>DELETE /api/admin/ecss/pool/{staffId}: offered no new case; keeps the cases they attend until the next handover.</summary>
    public async Task<IResult> RemoveFromPool(HttpRequest request, string staffId)
    {
        var (admin, denied) = StaffPrincipal.Require(request, Roles.Admin);
        if (denied is not null) return denied;
        if (!StaffIds.IsStaffId(staffId)) return StaffIds.NotAStaffId();
        return await roster.RemoveFromPoolAsync(staffId, Actor.Of(admin!))
            ? Results.NoContent()
            : Problems.NotFound($"{staffId} is not in the {settings.Team} pool.");
    }

    public async Task<IResult> Pattern(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.Admin).Problem is { } denied) return denied;
        return Results.Json(await PatternView(), Json.Options);
    }

    /// <summary>
    /// PUT /api/admin/ecss/rota-pattern <c>{"groups":[["hca-01","hca-04","hca-07"],...]}</c>: groups of three HCAs from the
    /// pool taking shifts in turn; an HCA in one group only, so nobody works two shifts running.
    /// </summary>
    public async Task<IResult> SetPattern(HttpRequest request)
    {
        var (admin, denied) = StaffPrincipal.Require(request, Roles.Admin);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var groups = EcssPoolForm.Groups(f, "groups", (await roster.HcasAsync()).Select(h => h.Id).ToHashSet(), settings.Team);
        if (!f.IsValid) return Problems.Validation(f.Errors);
        await roster.SetPatternAsync(groups, Actor.Of(admin!));
        return Results.Json(await PatternView(), Json.Options);
    }

    private async Task<object> PatternView() => new
    {
        team = settings.Team,
        anchor = LocalDatePattern.Iso.Format(Roster.PatternAnchor),
        groups = await roster.PatternAsync(),
    };
}
