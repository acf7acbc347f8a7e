using Microsoft.DurableTask.Client;
using Workflows.CrisisCare.Bars;

namespace Workflows.LocalHost;

public static class BarsRoutes
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/intake/bars/$process-message", (HttpRequest r, BarsEndpoints e, DurableTaskClient c) => e.ProcessMessage(r, c));
        api.MapGet("/intake/bars/metadata", (HttpRequest r, BarsEndpoints e) => e.Metadata(r));
    }
}
