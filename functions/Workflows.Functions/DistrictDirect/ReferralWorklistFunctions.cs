using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workflows.DistrictDirect;

namespace Workflows.Functions.DistrictDirect;

/// <summary>The officers' work list: hands the request to Core's <see cref="ReferralWorklistEndpoints"/>.</summary>
public sealed class ReferralWorklistFunctions(ReferralWorklistEndpoints endpoints)
{
    [Function("DischargeReferralWorklist")]
    public Task<IActionResult> DischargeReferralWorklist(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "district-direct/referrals")] HttpRequest req) =>
        endpoints.Worklist(req).AsAction();
}
