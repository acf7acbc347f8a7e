using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Reporting;

public static class ReportingServices
{
    public static IServiceCollection AddReporting(this IServiceCollection services)
    {
        services.AddSingleton<PilotReportSource>();
        services.AddSingleton<ReportingEndpoints>();
        return services;
    }
}
