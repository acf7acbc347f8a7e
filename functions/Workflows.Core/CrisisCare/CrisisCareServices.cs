using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Http;
using Workflows.Storage;

namespace Workflows.CrisisCare;

public static class CrisisCareServices
{
    public static IServiceCollection AddCrisisCare(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(WorkflowServices.Bind<IntakeSettings>(config, "Intake"));
        services.AddSingleton(WorkflowServices.Bind<CrisisCareSettings>(config, "CrisisCare"));
        services.AddSingleton<WebhookSignature>();
        services.AddSingleton<CaseStore>();
        services.AddSingleton(sp => new StoreUpgrade(CaseStore.IndexUpgrade, sp.GetRequiredService<CaseStore>().IndexAsync));
        services.AddSingleton<CaseTimeline>();
        services.AddSingleton<CaseReports>();
        services.AddSingleton<CaseDecisions>();
        services.AddSingleton<CaseStartQueue>();
        services.AddSingleton<CaseIntake>();
        services.AddSingleton<CaseStarts>();
        services.AddSingleton<CaseActivities>();
        services.AddSingleton<CrisisCareEndpoints>();
        services.AddSingleton<CaseMessagesEndpoints>();
        return services;
    }
}
