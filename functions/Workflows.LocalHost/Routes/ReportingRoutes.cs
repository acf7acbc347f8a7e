using Workflows.Reporting;

namespace Workflows.LocalHost;

public static class ReportingRoutes
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/reports/pilot", (HttpRequest r, ReportingEndpoints e) => e.Pilot(r));
    }
}
