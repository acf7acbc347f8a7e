using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.CareDirectory;
using Workflows.CrisisCare;
using Workflows.Ecss;
using Workflows.CrisisCare.Bars;
using Workflows.DistrictDirect;
using Workflows.Messaging;
using Workflows.Pages;
using Workflows.Reporting;
using Workflows.Storage;

namespace Workflows;

/// <summary>The app's services, wired once for both hosts (the Functions app and the local host).</summary>
public static class WorkflowServices
{
    public static IServiceCollection AddWorkflows(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(StorageSettingsFrom(config));
        services.AddSingleton(sp => TableStore.FromSettings(sp.GetRequiredService<StorageSettings>()));
        services.AddCareDirectory();
        services.AddMessaging(config);
        services.AddCrisisCare(config);
        services.AddEcss(config);
        services.AddDistrictDirect(config);
        services.AddBars();
        services.AddReporting();
        services.AddStaffPages();
        return services;
    }

    public static T Bind<T>(IConfiguration config, string section) where T : new()
    {
        var value = new T();
        config.GetSection(section).Bind(value);
        return value;
    }

    /// <summary>AzureWebJobsStorage as a connection string, or (managed identity) its __tableServiceUri and __clientId.</summary>
    public static StorageSettings StorageSettingsFrom(IConfiguration config)
    {
        var section = config.GetSection("AzureWebJobsStorage");
        var uri = section["tableServiceUri"] ?? (section["accountName"] is { } account ? $"https://{account}.table.core.windows.net" : null);
        return new StorageSettings
        {
            ConnectionString = section.Value,
            TableServiceUri = uri is null ? null : new Uri(uri),
            ManagedIdentityClientId = section["clientId"],
        };
    }
}
