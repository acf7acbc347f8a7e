using Workflows.Staff;

namespace Workflows.LocalHost;

public static class StaffRoutes
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/staff/me", (HttpRequest r, SignedInEndpoints e) => e.Me(r));
    }
}
