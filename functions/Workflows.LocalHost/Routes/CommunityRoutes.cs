using Workflows.Community;

namespace Workflows.LocalHost;

public static class CommunityRoutes
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/community/organisations", (HttpRequest r, CommunityEndpoints e) => e.Organisations(r));
        api.MapPut("/community/organisations/{organisationId}", (HttpRequest r, string organisationId, CommunityEndpoints e) => e.SaveOrganisation(r, organisationId));
        api.MapGet("/community/volunteers", (HttpRequest r, CommunityEndpoints e) => e.Volunteers(r));
        api.MapPut("/community/volunteers/{staffId}", (HttpRequest r, string staffId, CommunityEndpoints e) => e.SaveVolunteer(r, staffId));
        api.MapDelete("/community/volunteers/{staffId}", (HttpRequest r, string staffId, CommunityEndpoints e) => e.RemoveVolunteer(r, staffId));
    }
}
