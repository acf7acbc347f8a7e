using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workflows.Messaging;

namespace Workflows.Functions.Messaging;

/// <summary>ACS events through Event Grid webhooks (the URL carries ?code=): each hands the request to Core.</summary>
public sealed class MessagingFunctions(MessagingEndpoints endpoints)
{
    [Function("ReceiveSms")]
    public Task<IActionResult> ReceiveSms(
        [HttpTrigger(AuthorizationLevel.Function, "post", "options", Route = "sms/inbound")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => endpoints.Inbound(req, client).AsAction();

    [Function("ReceiveSmsDeliveryReport")]
    public Task<IActionResult> ReceiveSmsDeliveryReport(
        [HttpTrigger(AuthorizationLevel.Function, "post", "options", Route = "sms/delivery")] HttpRequest req,
        [DurableClient] DurableTaskClient client) => endpoints.Delivery(req, client).AsAction();
}
