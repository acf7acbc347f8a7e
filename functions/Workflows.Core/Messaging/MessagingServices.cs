using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Workflows.Messaging;

public static class MessagingServices
{
    /// <summary>ACS when Sms:ConnectionString is set; otherwise the local sink (the embedded default).</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration config)
    {
        var settings = WorkflowServices.Bind<SmsSettings>(config, "Sms");
        services.AddSingleton(settings);
        services.AddSingleton<LocalSmsSink>();
        if (settings.UsesAcs) services.AddAcsSms(settings);
        else services.AddSingleton<ISmsCarrier>(sp => sp.GetRequiredService<LocalSmsSink>());
        services.AddSingleton<SentMessages>();
        services.AddSingleton<SmsOptOuts>();
        services.AddSingleton<SmsOutbound>();
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<SmsOutbound>());
        services.AddSingleton<ReplyCodes>();
        services.AddSingleton<IReplyCodes>(sp => sp.GetRequiredService<ReplyCodes>());
        services.AddSingleton<ReplyAttempts>();
        services.AddSingleton<InboundClaims>();
        services.AddSingleton<SmsInbox>();
        services.AddSingleton<MessagingEndpoints>();
        return services;
    }

    private static void AddAcsSms(this IServiceCollection services, SmsSettings settings)
    {
        var connection = AcsConnection.Parse(settings.ConnectionString!);
        if (!Validation.Phones.IsE164(settings.FromNumber))
            throw new InvalidOperationException("Set Sms__FromNumber to the ACS number texts are sent from, in E.164 form.");
        services.AddSingleton(connection);
        services.AddTransient<AcsRequestSigning>();
        var client = services.AddHttpClient(AcsSmsClient.HttpClientName, c => c.BaseAddress = connection.Endpoint);
        client.AddResilienceHandler("acs-sms", pipeline =>
            {
                // 429, 408, 5xx, connection failures and attempt timeouts; Retry-After is honoured.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = settings.SendRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromSeconds(settings.SendRetryBaseDelaySeconds),
                    MaxDelay = TimeSpan.FromSeconds(30),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(settings.SendAttemptTimeoutSeconds));
            });
        // Added after the retries, so it runs inside them and each attempt is signed with its own date.
        client.AddHttpMessageHandler<AcsRequestSigning>();
        services.AddSingleton<AcsSmsClient>();
        services.AddSingleton<ISmsCarrier>(sp => sp.GetRequiredService<AcsSmsClient>());
    }
}
