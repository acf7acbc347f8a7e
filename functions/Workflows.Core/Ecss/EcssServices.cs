using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Ecss;

public static class EcssServices
{
    public static IServiceCollection AddEcss(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(WorkflowServices.Bind<EcssSettings>(config, "Ecss"));
        services.AddSingleton<Roster>();
        services.AddSingleton<HcaClaims>();
        services.AddSingleton<EcssActivities>();
        services.AddSingleton<EcssEndpoints>();
        services.AddSingleton<HcaTodayEndpoints>();
        services.AddSingleton<OfferAnswerEndpoints>();
        services.AddSingleton<EcssPoolEndpoints>();
        services.AddSingleton<ShiftHandover>();
        services.AddSingleton<ISeedLoader, RosterSeed>();
        return services;
    }
}
