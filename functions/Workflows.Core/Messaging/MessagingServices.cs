using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Messaging;

public static class MessagingServices
{
    /// <summary>ACS when Sms:ConnectionString is set; otherwise the local sink (the embedded default).</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration config)
    {
        var settings = WorkflowServices.Bind<SmsSettings>(config, "Sms");
        services.AddSingleton(settings);
        services.AddSingleton<LocalSmsSink>();
        services.AddSingleton<ISmsCarrier>(sp => sp.GetRequiredService<LocalSmsSink>());
        services.AddSingleton<SentMessages>();
        services.AddSingleton<SmsOptOuts>();
        services.AddSingleton<SmsOutbound>();
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<SmsOutbound>());
        services.AddSingleton<ReplyCodes>();
        services.AddSingleton<IReplyCodes>(sp => sp.GetRequiredService<ReplyCodes>());
        services.AddSingleton<InboundClaims>();
        services.AddSingleton<SmsInbox>();
        services.AddSingleton<MessagingEndpoints>();
        return services;
    }
}
