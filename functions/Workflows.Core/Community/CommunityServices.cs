using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Community;

public static class CommunityServices
{
    public static IServiceCollection AddCommunity(this IServiceCollection services, IConfiguration config)
    {
        var settings = WorkflowServices.Bind<CommunitySettings>(config, "Community");
        if (settings.DbsValidMonths is < 1 or > 120)
            throw new InvalidOperationException("Community__DbsValidMonths must be 1 to 120 months.");
        services.AddSingleton(settings);
        services.AddSingleton<VolunteerRegister>();
        services.AddSingleton<CommunityEndpoints>();
        return services;
    }
}
