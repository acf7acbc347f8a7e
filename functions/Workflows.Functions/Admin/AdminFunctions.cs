using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workflows.Audit;
using Workflows.Ecss;
using Workflows.Staff;

namespace Workflows.Functions.Admin;

/// <summary>
/// The admin routes (staff directory, audit trail, ECSS pool and rota pattern): each hands the request to Core.
/// Anonymous at the function level: App Service Authentication signs the caller in, and Core requires the admin role.
/// </summary>
public sealed class AdminFunctions(StaffAdminEndpoints staff, AuditEndpoints audit, EcssPoolEndpoints pool)
{
    [Function("ListStaff")]
    public Task<IActionResult> ListStaff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/staff")] HttpRequest req) =>
        staff.List(req).AsAction();

    [Function("GetStaffMember")]
    public Task<IActionResult> GetStaffMember(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/staff/{staffId}")] HttpRequest req, string staffId) =>
        staff.Get(req, staffId).AsAction();

    [Function("SaveStaffMember")]
    public Task<IActionResult> SaveStaffMember(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/staff/{staffId}")] HttpRequest req, string staffId) =>
        staff.Put(req, staffId).AsAction();

    [Function("AdminAuditTrail")]
    public Task<IActionResult> AdminAuditTrail(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/audit")] HttpRequest req) =>
        audit.Trail(req).AsAction();

    [Function("EcssPool")]
    public Task<IActionResult> EcssPool(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/ecss/pool")] HttpRequest req) =>
        pool.Pool(req).AsAction();

    [Function("PutHcaInPool")]
    public Task<IActionResult> PutHcaInPool(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/ecss/pool/{staffId}")] HttpRequest req, string staffId) =>
        pool.PutInPool(req, staffId).AsAction();

    [Function("RemoveHcaFromPool")]
    public Task<IActionResult> RemoveHcaFromPool(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "admin/ecss/pool/{staffId}")] HttpRequest req, string staffId) =>
        pool.RemoveFromPool(req, staffId).AsAction();

    [Function("GetRotaPattern")]
    public Task<IActionResult> GetRotaPattern(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/ecss/rota-pattern")] HttpRequest req) =>
        pool.Pattern(req).AsAction();

    [Function("SetRotaPattern")]
    public Task<IActionResult> SetRotaPattern(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/ecss/rota-pattern")] HttpRequest req) =>
        pool.SetPattern(req).AsAction();
}
