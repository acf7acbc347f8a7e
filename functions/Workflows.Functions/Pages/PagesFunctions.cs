using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workflows.Http;
using Workflows.Pages;

namespace Workflows.Functions.Pages;

/// <summary>The staff pages, from Core's embedded files. Anonymous: they hold no data, and the API calls they make need a signed-in member of staff with a role.</summary>
public sealed class PagesFunctions(PagesEndpoints endpoints)
{
    [Function("StaffPages")]
    public IActionResult StaffPages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "pages/{*path}")] HttpRequest req, string? path) =>
        new ResultAction(endpoints.Page(req, path));
}

/// <summary>The HTTP contract (docs/openapi.yaml). Anonymous: it describes the routes and holds no data.</summary>
public sealed class ContractFunctions(ContractDocument contract)
{
    [Function("ApiContract")]
    public IActionResult ApiContract([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.yaml")] HttpRequest req) =>
        new ResultAction(contract.Get(req));
}
