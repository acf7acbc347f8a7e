using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Audit;
using Workflows.Http;

namespace Workflows.ReferenceData;

/// <summary>
/// POST /api/admin/import (admin): a new deployment's reference data, once, in the seed files' shapes
/// (<c>{"staff.json": [...], "roster.json": {...}, ...}</c>, up to 1 MiB). Every file is checked first (400 naming each
/// problem, nothing stored); then what is absent is added, audited, and the answer counts what was added and kept.
/// </summary>
public sealed class ReferenceDataEndpoints(ReferenceDataImport import)
{
    public async Task<IResult> Import(HttpRequest request)
    {
        var (admin, denied) = StaffPrincipal.Require(request, Roles.Admin);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request, ReferenceDataImport.MaxBytes);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        if (await import.ReadAsync(f, request.HttpContext.RequestAborted) is not { } plan)
            return Problems.Validation(f.Errors, "Some files have missing or invalid fields; see errors. Nothing was imported.");
        var result = await import.ApplyAsync(plan, Actor.Of(admin!), request.HttpContext.RequestAborted);
        return Results.Json(new { added = result.Added, kept = result.Kept }, Json.Options);
    }
}

public static class ReferenceDataServices
{
    public static IServiceCollection AddReferenceData(this IServiceCollection services) =>
        services.AddSingleton<ReferenceDataImport>().AddSingleton<ReferenceDataEndpoints>();
}
