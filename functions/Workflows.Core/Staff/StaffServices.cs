using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Audit;

namespace Workflows.Staff;

public static class StaffServices
{
    public static IServiceCollection AddStaff(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(WorkflowServices.Bind<StaffSettings>(config, "Staff"));
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<AuditEndpoints>();
        services.AddSingleton<StaffDirectory>();
        services.AddSingleton<StaffSignIn>();
        services.AddSingleton<FirstAdmin>();
        services.AddSingleton<StaffAdminEndpoints>();
        services.AddSingleton<SignedInEndpoints>();
        return services;
    }
}
