using Microsoft.Extensions.DependencyInjection;

namespace Workflows.CareDirectory;

public static class CareDirectoryServices
{
    public static IServiceCollection AddCareDirectory(this IServiceCollection services)
    {
        services.AddSingleton<ServiceDirectory>();
        services.AddSingleton<DirectoryAdminEndpoints>();
        return services;
    }
}
