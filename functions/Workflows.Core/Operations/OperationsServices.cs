using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Operations;

/// <summary>Settings of the pieces that keep the service watched and tidy (section "Operations").</summary>
public sealed class OperationsSettings
{
    /// <summary>
    /// Days a finished orchestration's history (which holds the case's inputs: patient data) is kept before it is purged
    /// (Operations__HistoryRetentionDays). Case and referral rows and their timelines keep the audit.
    /// </summary>
    public double HistoryRetentionDays { get; set; } = 90;
}

public static class OperationsServices
{
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration config) =>
        services.AddSingleton(WorkflowServices.Bind<OperationsSettings>(config, "Operations"))
            .AddSingleton<OrchestrationHistoryPurge>()
            .AddSingleton<ServiceWatch>()
            .AddSingleton<HealthEndpoints>();
}
