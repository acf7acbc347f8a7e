using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workflows.Reporting;

namespace Workflows.Functions.Reporting;

/// <summary>Reporting HTTP triggers: each hands the request to Core's <see cref="ReportingEndpoints"/>.</summary>
public sealed class ReportingFunctions(ReportingEndpoints endpoints)
{
    [Function("PilotReport")]
    public Task<IActionResult> PilotReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/pilot")] HttpRequest req) =>
        endpoints.Pilot(req).AsAction();
}
