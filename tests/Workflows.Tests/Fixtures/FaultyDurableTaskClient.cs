using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.Extensions.DependencyInjection;

namespace Workflows.Tests.Fixtures;

/// <summary>
/// The host's durable client with faults on demand: a raise or a start armed to fail throws once, as a network blip
/// or an engine restart would, after which every call goes to the real client.
/// </summary>
public sealed class FaultyDurableTaskClient(DurableTaskClient inner) : DurableTaskClient(inner.Name)
{
    private readonly ConcurrentDictionary<string, int> _armed = new();

    /// <summary>Puts this client in front of the one the host registered (see <see cref="TestHost.StartAsync"/>).</summary>
    public static void Install(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(DurableTaskClient));
        services.Remove(real);
        services.AddSingleton(sp => new FaultyDurableTaskClient(real.ImplementationFactory is { } make
            ? (DurableTaskClient)make(sp)
            : (DurableTaskClient)real.ImplementationInstance!));
        services.AddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<FaultyDurableTaskClient>());
    }

    /// <summary>The next raise of <paramref name="eventName"/> on <paramref name="instanceId"/> fails, before it reaches the engine.</summary>
    public void FailNextRaise(string instanceId, string eventName) => _armed[$"raise/{instanceId}/{eventName}"] = 1;

    /// <summary>The next start of <paramref name="instanceId"/> fails.</summary>
    public void FailNextStart(string instanceId) => _armed[$"start/{instanceId}"] = 1;

    /// <summary>How many armed faults have been thrown.</summary>
    public int Thrown;

    private void ThrowIfArmed(string key)
    {
        if (!_armed.TryRemove(key, out _)) return;
        Interlocked.Increment(ref Thrown);
        throw new InvalidOperationException($"Injected fault: {key}");
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ThrowIfArmed($"raise/{instanceId}/{eventName}");
        return inner.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);
    }

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null,
        StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        if (options?.InstanceId is { } id) ThrowIfArmed($"start/{id}");
        return inner.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellation);
    }

    public override DurableEntityClient Entities => inner.Entities;

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false,
        CancellationToken cancellation = default) => inner.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false,
        CancellationToken cancellation = default) => inner.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        inner.TerminateInstanceAsync(instanceId, options, cancellation);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        inner.SuspendInstanceAsync(instanceId, reason, cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        inner.ResumeInstanceAsync(instanceId, reason, cancellation);

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false,
        CancellationToken cancellation = default) => inner.GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => inner.GetAllInstancesAsync(filter);

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        inner.PurgeInstanceAsync(instanceId, options, cancellation);

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null,
        CancellationToken cancellation = default) => inner.PurgeAllInstancesAsync(filter, options, cancellation);

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
