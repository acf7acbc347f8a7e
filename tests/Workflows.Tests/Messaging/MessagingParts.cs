using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Workflows.Messaging;
using Workflows.Storage;

namespace Workflows.Tests.Messaging;

/// <summary>
/// The messaging services over the shared Azurite, and a real (in-process) durable engine running one small
/// orchestration that asks a question by SMS and waits for the answer, as the dispatch and approval flows do.
/// </summary>
public sealed class MessagingParts : IAsyncDisposable
{
    public const string AwaitReply = "AwaitSmsReply";
    public const string ReplyEvent = "SmsReply";

    private static int _nextPhone = 900;

    private MessagingParts(ServiceProvider services, DurableTaskTestHost durable)
    {
        Services = services;
        Durable = durable;
    }

    public ServiceProvider Services { get; }
    public DurableTaskTestHost Durable { get; }
    public DurableTaskClient Client => Durable.Client;
    public ReplyCodes Codes => Services.GetRequiredService<ReplyCodes>();
    public SmsInbox Inbox => Services.GetRequiredService<SmsInbox>();
    public ISmsSender Sender => Services.GetRequiredService<ISmsSender>();
    public SentMessages Sent => Services.GetRequiredService<SentMessages>();
    public LocalSmsSink Sink => Services.GetRequiredService<LocalSmsSink>();

    public static async Task<MessagingParts> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var azurite = await Azurite.Shared;
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DataStorage"] = azurite.ConnectionString,
            ["Sms:FromNumber"] = "+447700900000",
            // As the local host is: without a connection string, texts go to the local sink.
            [WorkflowServices.EnvironmentSetting] = "Development",
        }.Concat(settings ?? new Dictionary<string, string?>())).Build();
        var services = new ServiceCollection().AddLogging().AddWorkflows(config).BuildServiceProvider();
        await services.GetRequiredService<TableStore>().EnsureTablesAsync();
        return new MessagingParts(services, await StartDurableAsync());
    }

    /// <summary>The test host picks a random port unless told one: give it a free one, and another if that is taken meanwhile.</summary>
    private static async Task<DurableTaskTestHost> StartDurableAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(r => r.AddOrchestratorFunc<string, SmsReply>(AwaitReply,
                    async (context, eventName) => await context.WaitForExternalEvent<SmsReply>(eventName)),
                    new DurableTaskTestHostOptions { Port = Azurite.FreePort() });
            }
            catch (IOException) when (attempt < 5) { }
        }
    }

    /// <summary>A drama-range mobile no other test class uses, so opt-outs made here touch nobody else.</summary>
    public static string NewPhone() => $"+447700900{Interlocked.Increment(ref _nextPhone) % 1000:D3}";

    /// <summary>Starts an orchestration waiting for an SMS answer; returns where the answer must go.</summary>
    public async Task<ReplyRoute> AskAsync()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(AwaitReply, ReplyEvent);
        return new ReplyRoute(id, ReplyEvent);
    }

    public async Task<SmsReply> AnswerOfAsync(ReplyRoute route)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await Client.WaitForInstanceCompletionAsync(route.InstanceId, getInputsAndOutputs: true, cts.Token);
        done.RuntimeStatus.Should().Be(OrchestrationRuntimeStatus.Completed);
        return done.ReadOutputAs<SmsReply>()!;
    }

    public async Task<OrchestrationRuntimeStatus> StatusOfAsync(ReplyRoute route) =>
        (await Client.GetInstanceAsync(route.InstanceId))!.RuntimeStatus;

    public static InboundSms Text(string from, string text) =>
        new($"Incoming_{Guid.NewGuid():N}", from, text, DateTimeOffset.UtcNow);

    public async ValueTask DisposeAsync()
    {
        await Durable.DisposeAsync();
        await Services.DisposeAsync();
    }
}
