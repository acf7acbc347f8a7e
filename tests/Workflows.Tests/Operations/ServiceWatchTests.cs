using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;
using Workflows.Messaging;
using Workflows.Operations;

namespace Workflows.Tests.Operations;

/// <summary>
/// The watch finds what nobody would otherwise see and logs the events the production alerts read (hazard H40): a
/// failed orchestration on the real engine, a case start given up on, SMS not configured.
/// </summary>
public sealed class ServiceWatchTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AFailedOrchestrationAndAGivenUpCaseStartAreLoggedForTheAlerts()
    {
        var client = _host.Services.GetRequiredService<DurableTaskClient>();
        // An input the case orchestrator cannot read: it fails, as an orchestration with a bug would.
        var failed = await client.ScheduleNewOrchestrationInstanceAsync(CrisisCaseWorkflow.Name, "not a case start");
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            (await client.WaitForInstanceCompletionAsync(failed, wait.Token)).RuntimeStatus.Should().Be(OrchestrationRuntimeStatus.Failed);
        var starts = _host.Services.GetRequiredService<CaseStartQueue>();
        await starts.Poison.CreateIfNotExistsAsync();
        await starts.Poison.SendMessageAsync("case-00000000000000000001");
        var log = new LogCapture();

        var report = await ActivatorUtilities.CreateInstance<ServiceWatch>(_host.Services, log.For<ServiceWatch>()).CheckAsync(client);

        report.FailedInstances.Should().Contain(failed);
        report.PoisonedCaseStarts.Should().Be(1);
        log.EventNames.Should().Contain([AlertEvents.OrchestrationFailed.Name!, AlertEvents.CaseStartsPoisoned.Name!]);
        log.EventNames.Should().NotContain(AlertEvents.SmsNotConfigured.Name, "SMS is configured (the local sink) on this host");
    }

    [Fact]
    public async Task SmsNotConfiguredIsLoggedOnEveryCheckWhileItLasts()
    {
        var log = new LogCapture();
        var watch = new ServiceWatch(new SmsSetup(SmsSetup.NoCarrier, "Sms__ConnectionString is not set."),
            _host.Services.GetRequiredService<CaseStartQueue>(), TimeProvider.System, log.For<ServiceWatch>());
        var client = _host.Services.GetRequiredService<DurableTaskClient>();

        await watch.CheckAsync(client);
        await watch.CheckAsync(client);

        log.EventNames.Count(e => e == AlertEvents.SmsNotConfigured.Name).Should().Be(2);
    }
}
