using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Workflows.Storage;

namespace Workflows.Messaging;

public static class MessagingServices
{
    /// <summary>
    /// ACS when SMS is configured; the local sink in Development without a connection string; otherwise texts are held
    /// back as not sent (<see cref="SmsSetup"/>), never lost, and never stop the app from starting.
    /// </summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration config)
    {
        var settings = WorkflowServices.Bind<SmsSettings>(config, "Sms");
        var setup = SmsSetup.From(settings, WorkflowServices.IsDevelopment(config));
        services.AddSingleton(settings);
        services.AddSingleton(setup);
        services.AddSingleton(AnswerLinks.From(settings, WorkflowServices.IsDevelopment(config)));
        services.AddSingleton<LocalSmsSink>();
        switch (setup.Carrier)
        {
            case SmsSetup.AcsCarrier: services.AddAcsSms(settings, setup.Acs!); break;
            case SmsSetup.LocalSinkCarrier: services.AddSingleton<ISmsCarrier>(sp => sp.GetRequiredService<LocalSmsSink>()); break;
            default: services.AddSingleton<ISmsCarrier, SmsNotConfigured>(); break;
        }
        services.AddSingleton<SentMessages>();
        services.AddSingleton(sp => new StoreUpgrade(SentMessages.TagIndexUpgrade, sp.GetRequiredService<SentMessages>().IndexTagsAsync));
        services.AddSingleton<SmsOptOuts>();
        services.AddSingleton<SmsOutbound>();
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<SmsOutbound>());
        services.AddSingleton<ReplyCodes>();
        services.AddSingleton<IReplyCodes>(sp => sp.GetRequiredService<ReplyCodes>());
        services.AddSingleton<CodeAnswers>();
        services.AddSingleton<ReplyAttempts>();
        services.AddSingleton<InboundClaims>();
        services.AddSingleton<SmsInbox>();
        services.AddSingleton<MessagingEndpoints>();
        services.AddSingleton<WaitingTexts>();
        services.AddHostedService<WaitingTextsRelease>();
        return services;
    }

    private static void AddAcsSms(this IServiceCollection services, SmsSettings settings, AcsConnection connection)
    {
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
