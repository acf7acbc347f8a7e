using Microsoft.AspNetCore.Http;
using Workflows.Audit;
using Workflows.Http;
using Workflows.Validation;

namespace Workflows.CareDirectory;

/// <summary>
/// The service directory and bank holidays for admins: GET /api/admin/services, GET|PUT|DELETE
/// /api/admin/services/{serviceId}, GET|PUT /api/admin/bank-holidays/{year}. Every change is audited by the directory.
/// </summary>
public sealed class DirectoryAdminEndpoints(ServiceDirectory directory)
{
    public const int MaxHolidaysAYear = 20;

    public async Task<IResult> List(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.Admin).Problem is { } denied) return denied;
        var all = await directory.AllAsync(request.HttpContext.RequestAborted);
        return Results.Json(new { services = all.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Id).Select(s => s.View()) }, Json.Options);
    }

    public async Task<IResult> Get(HttpRequest request, string serviceId)
    {
        if (StaffPrincipal.Require(request, Roles.Admin).Problem is { } denied) return denied;
        if (!RecordIds.IsValid(serviceId)) return RecordIds.Refused("serviceId");
        return await directory.FindAsync(serviceId, request.HttpContext.RequestAborted) is { } s
            ? Results.Json(s.View(), Json.Options)
            : Problems.NotFound($"There is no service {serviceId} in the directory.");
    }

    /// <summary>Adds or replaces a service (201 when added).</summary>
    public async Task<IResult> Put(HttpRequest request, string serviceId)
    {
        var (admin, denied) = StaffPrincipal.Require(request, Roles.Admin);
        if (denied is not null) return denied;
        if (!RecordIds.IsValid(serviceId)) return RecordIds.Refused("serviceId");
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        if (CareServiceForm.Read(f, serviceId) is not { } service) return Problems.Validation(f.Errors);
        return RecordWrites.Answer(await directory.SaveAsync(service, Actor.Of(admin!), request.HttpContext.RequestAborted), service.View(), "service");
    }

    /// <summary>Takes a service out of the directory (cases already referred to it keep their route).</summary>
    public async Task<IResult> Remove(HttpRequest request, string serviceId)
    {
        var (admin, denied) = StaffPrincipal.Require(request, Roles.Admin);
        if (denied is not null) return denied;
        if (!RecordIds.IsValid(serviceId)) return RecordIds.Refused("serviceId");
        return await directory.RemoveAsync(serviceId, Actor.Of(admin!), request.HttpContext.RequestAborted)
            ? Results.NoContent()
            : Problems.NotFound($"There is no service {serviceId} in the directory.");
    }

    public async Task<IResult> BankHolidays(HttpRequest request, string year)
    {
        if (StaffPrincipal.Require(request, Roles.Admin).Problem is { } denied) return denied;
        if (Year(year) is not { } y) return YearRefused();
        return Results.Json(await HolidaysView(y), Json.Options);
    }

    /// <summary>PUT /api/admin/bank-holidays/{year} <c>{"holidays":[{"date","name"}]}</c>: the year's whole list.</summary>
    public async Task<IResult> SetBankHolidays(HttpRequest request, string year)
    {
        var (admin, denied) = StaffPrincipal.Require(request, Roles.Admin);
        if (denied is not null) return denied;
        if (Year(year) is not { } y) return YearRefused();
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        if (!f.Has("holidays")) f.Fail("holidays", "This field is required: the year's bank holidays, or none.");
        var holidays = CareServiceForm.BankHolidays(f, "holidays", y, MaxHolidaysAYear);
        if (!f.IsValid) return Problems.Validation(f.Errors);
        await directory.SetBankHolidaysAsync(y, holidays, Actor.Of(admin!), ct: request.HttpContext.RequestAborted);
        return Results.Json(await HolidaysView(y), Json.Options);
    }

    private async Task<object> HolidaysView(int year) =>
        new { year, holidays = (await directory.BankHolidaysAsync(year)).Select(h => h.View()) };

    /// <summary>A calendar year the directory keeps holidays for.</summary>
    public static int? Year(string? s) => s is { Length: 4 } && int.TryParse(s, out var y) && y is >= 2000 and <= 2099 ? y : null;

    private static IResult YearRefused() =>
        Problems.Validation(new Dictionary<string, string[]> { ["year"] = ["Must be a year from 2000 to 2099, e.g. 2027."] });
}
