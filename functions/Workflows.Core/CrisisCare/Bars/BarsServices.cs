using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.CrisisCare.Bars;

public static class BarsServices
{
    /// <summary>NHS 111 referrals in BaRS form, on top of crisis care's intake (AddCrisisCare).</summary>
    public static IServiceCollection AddBars(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(WorkflowServices.Bind<BarsSettings>(config, "Bars"));
        services.AddSingleton<BarsMessageLog>();
        services.AddSingleton<BarsReferrals>();
        services.AddSingleton<BarsEndpoints>();
        services.AddSingleton<BarsResponses>();
        services.AddSingleton<BarsApiToken>();
        services.AddSingleton<BarsResponseActivities>();
        // One try per activity attempt: the orchestration's retry policy spaces the tries, and parks when they run out.
        services.AddHttpClient(BarsResponseActivities.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        return services;
    }
}
