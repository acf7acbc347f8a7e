using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workflows.Staff;

namespace Workflows.Functions.Staff;

/// <summary>Who the signed-in caller is, for the sign-in page: hands the request to Core's <see cref="SignedInEndpoints"/>.</summary>
public sealed class StaffFunctions(SignedInEndpoints endpoints)
{
    [Function("SignedInStaff")]
    public IActionResult SignedInStaff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/me")] HttpRequest req) =>
        new ResultAction(endpoints.Me(req));
}
