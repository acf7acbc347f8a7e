using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.CareDirectory;
using Workflows.Community;
using Workflows.CrisisCare;
using Workflows.Ecss;
using Workflows.CrisisCare.Bars;
using Workflows.DistrictDirect;
using Workflows.Messaging;
using Workflows.Operations;
using Workflows.Pages;
using Workflows.ReferenceData;
using Workflows.Reporting;
using Workflows.Staff;
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
        services.AddHostedService<StoreUpgrades>();
        services.AddStaff(config);
        services.AddCareDirectory();
        services.AddMessaging(config);
        services.AddCrisisCare(config);
        services.AddEcss(config);
        services.AddCommunity(config);
        services.AddDistrictDirect(config);
        services.AddSingleton<IStaffPhones, Staff.StaffPhones>();
        services.AddBars(config);
        services.AddReporting();
        services.AddStaffPages();
        services.AddOperations(config);
        services.AddReferenceData();
        return services;
    }

    public static T Bind<T>(IConfiguration config, string section) where T : new()
    {
        var value = new T();
        config.GetSection(section).Bind(value);
        return value;
    }

    /// <summary>
    /// Where the app keeps its data (tables and the case-starts queue): DataStorage, else AzureWebJobsStorage (the
    /// task hub's account). Either as a connection string or, with a managed identity, its __tableServiceUri,
    /// __queueServiceUri (or __accountName) and __clientId.
    /// </summary>
    public static StorageSettings StorageSettingsFrom(IConfiguration config)
    {
        var data = config.GetSection(DataStorageConnection);
        var section = data.Value is { Length: > 0 } || data.GetChildren().Any() ? data : config.GetSection("AzureWebJobsStorage");
        var account = section["accountName"];
        var tables = section["tableServiceUri"] ?? (account is null ? null : $"https://{account}.table.core.windows.net");
        var queues = section["queueServiceUri"] ?? (account is null ? null : $"https://{account}.queue.core.windows.net");
        return new StorageSettings
        {
            ConnectionString = section.Value,
            TableServiceUri = tables is null ? null : new Uri(tables),
            QueueServiceUri = queues is null ? null : new Uri(queues),
            ManagedIdentityClientId = section["clientId"],
        };
    }

    /// <summary>
    /// The environment the Functions host runs in (Development under func; Production in Azure unless set). The local
    /// host is Development unless told otherwise; tests set Production to start it as Azure would.
    /// </summary>
    public const string EnvironmentSetting = "AZURE_FUNCTIONS_ENVIRONMENT";

    public static bool IsDevelopment(IConfiguration config) =>
        string.Equals(config[EnvironmentSetting], "Development", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection (setting name) of the app's data account, as the Functions queue trigger names it too.</summary>
    public const string DataStorageConnection = "DataStorage";
}
