using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;

namespace Workflows.LocalHost;

public static class CrisisCareRoutes
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/intake/111", (HttpRequest r, CrisisCareEndpoints e, DurableTaskClient c) => e.Intake111(r, c));
        api.MapGet("/triage/queue", (HttpRequest r, CrisisCareEndpoints e) => e.TriageQueue(r));
        api.MapGet("/cases", (HttpRequest r, CrisisCareEndpoints e) => e.OpenCases(r));
        api.MapGet("/cases/{caseId}", (HttpRequest r, string caseId, CrisisCareEndpoints e) => e.GetCase(r, caseId));
        api.MapPost("/cases/{caseId}/triage", (HttpRequest r, string caseId, CrisisCareEndpoints e, DurableTaskClient c) => e.Triage(r, caseId, c));
        api.MapPost("/cases/{caseId}/close", (HttpRequest r, string caseId, CrisisCareEndpoints e, DurableTaskClient c) => e.Close(r, caseId, c));
        api.MapPost("/cases/{caseId}/resume", (HttpRequest r, string caseId, CrisisCareEndpoints e, DurableTaskClient c) => e.Resume(r, caseId, c));
        api.MapGet("/cases/{caseId}/messages", (HttpRequest r, string caseId, CaseMessagesEndpoints e) => e.Messages(r, caseId));
        api.MapGet("/directory/open-now", (HttpRequest r, CrisisCareEndpoints e) => e.OpenNow(r));
    }
}
