using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workflows.Ecss;

namespace Workflows.Functions.Ecss;

/// <summary>The HCA today page's routes: hand the request to Core's <see cref="HcaTodayEndpoints"/> and <see cref="OfferAnswerEndpoints"/>.</summary>
public sealed class HcaTodayFunctions(HcaTodayEndpoints endpoints, OfferAnswerEndpoints offers)
{
    [Function("HcaMyCases")]
    public Task<IActionResult> HcaMyCases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ecss/my-cases")] HttpRequest req) =>
        endpoints.MyCases(req).AsAction();

    [Function("HcaOffer")]
    public Task<IActionResult> HcaOffer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ecss/offers/{offerId}")] HttpRequest req, string offerId) =>
        offers.Offer(req, offerId).AsAction();

    [Function("AnswerHcaOffer")]
    public Task<IActionResult> AnswerHcaOffer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ecss/offers/{offerId}/answer")] HttpRequest req, string offerId,
        [DurableClient] DurableTaskClient client) =>
        offers.Answer(req, offerId, client).AsAction();
}
