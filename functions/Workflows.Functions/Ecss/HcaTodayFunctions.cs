using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workflows.Ecss;

namespace Workflows.Functions.Ecss;

/// <summary>The HCA today page's route: hands the request to Core's <see cref="HcaTodayEndpoints"/>.</summary>
public sealed class HcaTodayFunctions(HcaTodayEndpoints endpoints)
{
    [Function("HcaMyCases")]
    public Task<IActionResult> HcaMyCases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ecss/my-cases")] HttpRequest req) =>
        endpoints.MyCases(req).AsAction();
}
