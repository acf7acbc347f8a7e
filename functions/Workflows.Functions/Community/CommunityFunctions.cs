using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workflows.Community;

namespace Workflows.Functions.Community;

/// <summary>
/// The volunteer coordinator's routes: each hands the request to Core's <see cref="CommunityEndpoints"/>. Anonymous at
/// the function level: App Service Authentication signs the caller in, and Core requires the community role.
/// </summary>
public sealed class CommunityFunctions(CommunityEndpoints endpoints)
{
    [Function("VoluntaryOrganisations")]
    public Task<IActionResult> VoluntaryOrganisations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "community/organisations")] HttpRequest req) =>
        endpoints.Organisations(req).AsAction();

    [Function("SaveVoluntaryOrganisation")]
    public Task<IActionResult> SaveVoluntaryOrganisation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "community/organisations/{organisationId}")] HttpRequest req, string organisationId) =>
        endpoints.SaveOrganisation(req, organisationId).AsAction();

    [Function("Volunteers")]
    public Task<IActionResult> Volunteers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "community/volunteers")] HttpRequest req) =>
        endpoints.Volunteers(req).AsAction();

    [Function("SaveVolunteer")]
    public Task<IActionResult> SaveVolunteer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "community/volunteers/{staffId}")] HttpRequest req, string staffId) =>
        endpoints.SaveVolunteer(req, staffId).AsAction();

    [Function("RemoveVolunteer")]
    public Task<IActionResult> RemoveVolunteer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "community/volunteers/{staffId}")] HttpRequest req, string staffId) =>
        endpoints.RemoveVolunteer(req, staffId).AsAction();
}
