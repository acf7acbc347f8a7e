using Microsoft.AspNetCore.Http;
using Workflows.Http;

namespace Workflows.Audit;

/// <summary>GET /api/admin/audit?entity=kind:id: the trail of changes to one record (admin).</summary>
public sealed class AuditEndpoints(AuditTrail trail)
{
    public async Task<IResult> Trail(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.Admin).Problem is { } denied) return denied;
        string? entity = request.Query["entity"];
        if (!AuditTrail.IsEntity(entity))
            return Problems.Validation(new Dictionary<string, string[]> { ["entity"] = [AuditTrail.EntityRule] });
        var changes = await trail.ReadAsync(entity!, request.HttpContext.RequestAborted);
        return Results.Json(new
        {
            entity,
            changes = changes.Select(c => new { at = c.At, action = c.Action, by = new { id = c.By.Id, name = c.By.Name }, before = c.Before, after = c.After }),
        }, Json.Options);
    }
}
