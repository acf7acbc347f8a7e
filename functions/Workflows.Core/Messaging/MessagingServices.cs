using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Messaging;

public static class MessagingServices
{
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<LocalSmsSink>();
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<LocalSmsSink>());
        return services;
    }
}
