using Workflows.Audit;
using Workflows.CareDirectory;
using Workflows.DistrictDirect;
using Workflows.Ecss;
using Workflows.ReferenceData;
using Workflows.Staff;

namespace Workflows.LocalHost;

public static class AdminRoutes
{
    public static void Map(RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin");
        admin.MapGet("/staff", (HttpRequest r, StaffAdminEndpoints e) => e.List(r));
        admin.MapGet("/staff/{staffId}", (HttpRequest r, string staffId, StaffAdminEndpoints e) => e.Get(r, staffId));
        admin.MapPut("/staff/{staffId}", (HttpRequest r, string staffId, StaffAdminEndpoints e) => e.Put(r, staffId));
        admin.MapGet("/audit", (HttpRequest r, AuditEndpoints e) => e.Trail(r));
        admin.MapGet("/ecss/pool", (HttpRequest r, EcssPoolEndpoints e) => e.Pool(r));
        admin.MapPut("/ecss/pool/{staffId}", (HttpRequest r, string staffId, EcssPoolEndpoints e) => e.PutInPool(r, staffId));
        admin.MapDelete("/ecss/pool/{staffId}", (HttpRequest r, string staffId, EcssPoolEndpoints e) => e.RemoveFromPool(r, staffId));
        admin.MapGet("/ecss/rota-pattern", (HttpRequest r, EcssPoolEndpoints e) => e.Pattern(r));
        admin.MapPut("/ecss/rota-pattern", (HttpRequest r, EcssPoolEndpoints e) => e.SetPattern(r));
        admin.MapGet("/services", (HttpRequest r, DirectoryAdminEndpoints e) => e.List(r));
        admin.MapGet("/services/{serviceId}", (HttpRequest r, string serviceId, DirectoryAdminEndpoints e) => e.Get(r, serviceId));
        admin.MapPut("/services/{serviceId}", (HttpRequest r, string serviceId, DirectoryAdminEndpoints e) => e.Put(r, serviceId));
        admin.MapDelete("/services/{serviceId}", (HttpRequest r, string serviceId, DirectoryAdminEndpoints e) => e.Remove(r, serviceId));
        admin.MapGet("/bank-holidays/{year}", (HttpRequest r, string year, DirectoryAdminEndpoints e) => e.BankHolidays(r, year));
        admin.MapPut("/bank-holidays/{year}", (HttpRequest r, string year, DirectoryAdminEndpoints e) => e.SetBankHolidays(r, year));
        admin.MapGet("/district-direct/hospitals", (HttpRequest r, RegisterAdminEndpoints e) => e.Hospitals(r));
        admin.MapGet("/district-direct/hospitals/{hospitalId}", (HttpRequest r, string hospitalId, RegisterAdminEndpoints e) => e.Hospital(r, hospitalId));
        admin.MapPut("/district-direct/hospitals/{hospitalId}", (HttpRequest r, string hospitalId, RegisterAdminEndpoints e) => e.SaveHospital(r, hospitalId));
        admin.MapGet("/district-direct/housing-authorities", (HttpRequest r, RegisterAdminEndpoints e) => e.HousingAuthorities(r));
        admin.MapGet("/district-direct/housing-authorities/{authorityId}", (HttpRequest r, string authorityId, RegisterAdminEndpoints e) => e.HousingAuthority(r, authorityId));
        admin.MapPut("/district-direct/housing-authorities/{authorityId}", (HttpRequest r, string authorityId, RegisterAdminEndpoints e) => e.SaveHousingAuthority(r, authorityId));
        admin.MapPost("/import", (HttpRequest r, ReferenceDataEndpoints e) => e.Import(r));
    }
}
