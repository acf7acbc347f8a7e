using Microsoft.Extensions.DependencyInjection;

namespace Workflows.CrisisCare.Bars;

public static class BarsServices
{
    /// <summary>NHS 111 referrals in BaRS form, on top of crisis care's intake (AddCrisisCare).</summary>
    public static IServiceCollection AddBars(this IServiceCollection services)
    {
        services.AddSingleton<BarsMessageLog>();
        services.AddSingleton<BarsReferrals>();
        services.AddSingleton<BarsEndpoints>();
        return services;
    }
}
