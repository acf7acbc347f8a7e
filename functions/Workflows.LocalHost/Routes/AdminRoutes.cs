using Workflows.Audit;
using Workflows.Ecss;
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
    }
}
