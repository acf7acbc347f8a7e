using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
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

/// <summary>The asynchronous BaRS response: its orchestration and activities, hosted by Durable Functions.</summary>
public sealed class BarsResponseFunctions(BarsResponseActivities activities)
{
    [Function(BarsResponseWorkflow.Name)]
    public static Task<bool> BarsResponse([OrchestrationTrigger] TaskOrchestrationContext context) =>
        BarsResponseWorkflow.RunAsync(context, context.GetInput<BarsResponseStart>()!);

    [Function(BarsResponseActivities.SendBarsResponse)]
    public Task<bool> SendBarsResponse([ActivityTrigger] BarsResponseStep input) => activities.SendAsync(input);

    [Function(BarsResponseActivities.ParkBarsResponse)]
    public Task<bool> ParkBarsResponse([ActivityTrigger] BarsResponseParkStep input) => activities.ParkAsync(input);
}
