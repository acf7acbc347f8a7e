using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Reporting;

public static class ReportingServices
{
    public static IServiceCollection AddReporting(this IServiceCollection services)
    {
        services.AddSingleton<ReportFacts>();
        services.AddSingleton(sp => new Workflows.Storage.StoreUpgrade(ReportFacts.Upgrade, sp.GetRequiredService<ReportFacts>().BuildAsync));
        services.AddSingleton<PilotReportSource>();
        services.AddSingleton<ReportingEndpoints>();
        return services;
    }
}
