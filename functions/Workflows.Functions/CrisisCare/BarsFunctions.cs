using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workflows.CrisisCare.Bars;

namespace Workflows.Functions.CrisisCare;

/// <summary>NHS 111 referrals in BaRS form: hands the message to Core's <see cref="BarsEndpoints"/>.</summary>
public sealed class BarsFunctions(BarsEndpoints endpoints)
{
    [Function("IntakeBarsMessage")]
    public Task<IActionResult> IntakeBarsMessage(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "intake/bars/$process-message")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => endpoints.ProcessMessage(req, client).AsAction();

    [Function("BarsMetadata")]
    public Task<IActionResult> BarsMetadata(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "intake/bars/metadata")] HttpRequest req) =>
        Task.FromResult(endpoints.Metadata(req)).AsAction();
}
