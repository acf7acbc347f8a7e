using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Storage;

namespace Workflows.DistrictDirect;

public static class DistrictDirectServices
{
    public static IServiceCollection AddDistrictDirect(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(WorkflowServices.Bind<DistrictDirectSettings>(config, "DistrictDirect"));
        services.AddSingleton<ApprovalRules>();
        services.AddSingleton<ReferralWithdrawals>();
        services.AddSingleton<ApprovalChecks>();
        services.AddSingleton<FundLedger>();
        services.AddSingleton<ReferralStore>();
        services.AddSingleton(sp => new StoreUpgrade(ReferralStore.IndexUpgrade, sp.GetRequiredService<ReferralStore>().IndexAsync));
        services.AddSingleton<ReferralTimeline>();
        services.AddSingleton<DistrictDirectRegister>();
        services.AddSingleton<ReferralIntake>();
        services.AddSingleton<ReferralActivities>();
        services.AddSingleton<DistrictDirectEndpoints>();
        services.AddSingleton<ReferralWorklistEndpoints>();
        services.AddSingleton<RegisterAdminEndpoints>();
        services.AddSingleton<FundYearEndWatch>();
        services.AddSingleton<ApprovalAnswerEndpoints>();
        return services;
    }
}
