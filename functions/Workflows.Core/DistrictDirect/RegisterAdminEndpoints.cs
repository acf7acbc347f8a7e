using Microsoft.AspNetCore.Http;
using Workflows.Audit;
using Workflows.Http;
using Workflows.Validation;

namespace Workflows.DistrictDirect;

/// <summary>
/// District Direct hospitals and housing authorities for admins: GET /api/admin/district-direct/hospitals,
/// GET|PUT .../hospitals/{hospitalId}, GET /api/admin/district-direct/housing-authorities, GET|PUT
/// .../housing-authorities/{authorityId}. Every change is audited by the register.
/// </summary>
public sealed class RegisterAdminEndpoints(DistrictDirectRegister register)
{
    public async Task<IResult> Hospitals(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.Admin).Problem is { } denied) return denied;
        var all = await register.HospitalsAsync(request.HttpContext.RequestAborted);
        return Results.Json(new { hospitals = all.OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase).Select(h => h.View()) }, Json.Options);
    }

    public async Task<IResult> Hospital(HttpRequest request, string hospitalId)
    {
        if (StaffPrincipal.Require(request, Roles.Admin).Problem is { } denied) return denied;
        if (!RecordIds.IsValid(hospitalId)) return RecordIds.Refused("hospitalId");
        return await register.HospitalAsync(hospitalId, request.HttpContext.RequestAborted) is { } h
            ? Results.Json(h.View(), Json.Options)
            : Problems.NotFound($"There is no District Direct hospital {hospitalId}.");
    }

    /// <summary>Adds or replaces a hospital (201 when added); its housing authority must be in the register.</summary>
    public async Task<IResult> SaveHospital(HttpRequest request, string hospitalId)
    {
        var (admin, denied) = StaffPrincipal.Require(request, Roles.Admin);
        if (denied is not null) return denied;
        if (!RecordIds.IsValid(hospitalId)) return RecordIds.Refused("hospitalId");
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var authorities = (await register.AuthoritiesAsync()).Select(a => a.Id).ToList();
        var f = new FieldReader(body);
        if (RegisterForms.Hospital(f, hospitalId, authorities) is not { } hospital) return Problems.Validation(f.Errors);
        return RecordWrites.Answer(await register.SaveAsync(hospital, Actor.Of(admin!), request.HttpContext.RequestAborted), hospital.View(), "hospital");
    }

    public async Task<IResult> HousingAuthorities(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.Admin).Problem is { } denied) return denied;
        var all = await register.AuthoritiesAsync(request.HttpContext.RequestAborted);
        return Results.Json(new { housingAuthorities = all.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).Select(a => a.View()) }, Json.Options);
    }

    public async Task<IResult> HousingAuthority(HttpRequest request, string authorityId)
    {
        if (StaffPrincipal.Require(request, Roles.Admin).Problem is { } denied) return denied;
        if (!RecordIds.IsValid(authorityId)) return RecordIds.Refused("authorityId");
        return await register.AuthorityAsync(authorityId, request.HttpContext.RequestAborted) is { } a
            ? Results.Json(a.View(), Json.Options)
            : Problems.NotFound($"There is no housing authority {authorityId}.");
    }

    /// <summary>Adds or replaces a housing authority (201 when added); 409 when another authority covers one of its districts.</summary>
    public async Task<IResult> SaveHousingAuthority(HttpRequest request, string authorityId)
    {
        var (admin, denied) = StaffPrincipal.Require(request, Roles.Admin);
        if (denied is not null) return denied;
        if (!RecordIds.IsValid(authorityId)) return RecordIds.Refused("authorityId");
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        if (RegisterForms.HousingAuthority(f, authorityId) is not { } authority) return Problems.Validation(f.Errors);
        var clashes = RegisterForms.Clashes(authority, await register.AuthoritiesAsync());
        if (clashes.Count > 0)
            return Problems.Make(StatusCodes.Status409Conflict, "District covered by another authority",
                $"{string.Join(", ", clashes.Select(c => $"{c.District} is covered by {c.Holder.Name} ({c.Holder.Id})"))}: a postcode district " +
                "belongs to one housing authority, so the duty to refer goes to one council. Take it from the other authority first.",
                clashes.ToDictionary(c => $"postcodeDistricts[{c.Index}]", c => new[] { $"{c.District} is covered by {c.Holder.Name} ({c.Holder.Id})." }));
        return RecordWrites.Answer(await register.SaveAsync(authority, Actor.Of(admin!), request.HttpContext.RequestAborted), authority.View(), "housing authority");
    }
}
