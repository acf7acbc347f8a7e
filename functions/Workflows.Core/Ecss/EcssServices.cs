using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Storage;

namespace Workflows.Ecss;

public static class EcssServices
{
    public static IServiceCollection AddEcss(this IServiceCollection services, IConfiguration config)
    {
        var settings = WorkflowServices.Bind<EcssSettings>(config, "Ecss");
        // A follow-up or check-in setting that cannot be read stops the app at start, not a close as died later.
        settings.FollowUpPeriods();
        settings.CarerCheckInHours();
        services.AddSingleton(settings);
        services.AddSingleton<FamilySupport>();
        services.AddSingleton<Roster>();
        services.AddSingleton<HcaClaims>();
        services.AddSingleton<HcaOfferStore>();
        services.AddSingleton(sp => new StoreUpgrade(HcaOfferStore.IndexUpgrade, sp.GetRequiredService<HcaOfferStore>().IndexAsync));
        services.AddSingleton<EcssActivities>();
        services.AddSingleton<EcssEndpoints>();
        services.AddSingleton<HcaTodayEndpoints>();
        services.AddSingleton<OfferAnswerEndpoints>();
        services.AddSingleton<EcssPoolEndpoints>();
        services.AddSingleton<ShiftHandover>();
        return services;
    }
}
