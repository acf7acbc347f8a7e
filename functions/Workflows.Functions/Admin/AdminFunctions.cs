using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workflows.Audit;
using Workflows.CareDirectory;
using Workflows.DistrictDirect;
using Workflows.Ecss;
using Workflows.ReferenceData;
using Workflows.Staff;

namespace Workflows.Functions.Admin;

/// <summary>
/// The admin routes (staff directory, audit trail, ECSS pool and rota pattern, service directory and bank holidays,
/// District Direct hospitals and housing authorities, the one-off import): each hands the request to Core.
/// Anonymous at the function level: App Service Authentication signs the caller in, and Core requires the admin role.
/// </summary>
public sealed class AdminFunctions(StaffAdminEndpoints staff, AuditEndpoints audit, EcssPoolEndpoints pool, DirectoryAdminEndpoints directory,
    RegisterAdminEndpoints register, ReferenceDataEndpoints referenceData)
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

    [Function("ListCareServices")]
    public Task<IActionResult> ListCareServices(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/services")] HttpRequest req) =>
        directory.List(req).AsAction();

    [Function("GetCareService")]
    public Task<IActionResult> GetCareService(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/services/{serviceId}")] HttpRequest req, string serviceId) =>
        directory.Get(req, serviceId).AsAction();

    [Function("SaveCareService")]
    public Task<IActionResult> SaveCareService(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/services/{serviceId}")] HttpRequest req, string serviceId) =>
        directory.Put(req, serviceId).AsAction();

    [Function("RemoveCareService")]
    public Task<IActionResult> RemoveCareService(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "admin/services/{serviceId}")] HttpRequest req, string serviceId) =>
        directory.Remove(req, serviceId).AsAction();

    [Function("GetBankHolidays")]
    public Task<IActionResult> GetBankHolidays(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/bank-holidays/{year}")] HttpRequest req, string year) =>
        directory.BankHolidays(req, year).AsAction();

    [Function("SetBankHolidays")]
    public Task<IActionResult> SetBankHolidays(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/bank-holidays/{year}")] HttpRequest req, string year) =>
        directory.SetBankHolidays(req, year).AsAction();

    [Function("ListHospitals")]
    public Task<IActionResult> ListHospitals(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/district-direct/hospitals")] HttpRequest req) =>
        register.Hospitals(req).AsAction();

    [Function("GetHospital")]
    public Task<IActionResult> GetHospital(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/district-direct/hospitals/{hospitalId}")] HttpRequest req, string hospitalId) =>
        register.Hospital(req, hospitalId).AsAction();

    [Function("SaveHospital")]
    public Task<IActionResult> SaveHospital(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/district-direct/hospitals/{hospitalId}")] HttpRequest req, string hospitalId) =>
        register.SaveHospital(req, hospitalId).AsAction();

    [Function("ListHousingAuthorities")]
    public Task<IActionResult> ListHousingAuthorities(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/district-direct/housing-authorities")] HttpRequest req) =>
        register.HousingAuthorities(req).AsAction();

    [Function("GetHousingAuthority")]
    public Task<IActionResult> GetHousingAuthority(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/district-direct/housing-authorities/{authorityId}")] HttpRequest req, string authorityId) =>
        register.HousingAuthority(req, authorityId).AsAction();

    [Function("SaveHousingAuthority")]
    public Task<IActionResult> SaveHousingAuthority(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "admin/district-direct/housing-authorities/{authorityId}")] HttpRequest req, string authorityId) =>
        register.SaveHousingAuthority(req, authorityId).AsAction();

    [Function("ImportReferenceData")]
    public Task<IActionResult> ImportReferenceData(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/import")] HttpRequest req) =>
        referenceData.Import(req).AsAction();
}
