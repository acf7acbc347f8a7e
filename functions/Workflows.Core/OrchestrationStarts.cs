using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Workflows;

/// <summary>Starting an orchestration whose instance id stands for what it is about, once however often it is asked.</summary>
public static class OrchestrationStarts
{
    /// <summary>Starts <paramref name="name"/> as <paramref name="instanceId"/> unless an instance of that id exists already.</summary>
    public static async Task StartOnceAsync<T>(DurableTaskClient client, string name, string instanceId, T input, CancellationToken ct = default)
    {
        if (await client.GetInstanceAsync(instanceId, ct) is not null) return;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions(InstanceId: instanceId), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Another request about the same thing may have started it a moment ago.
            if (await client.GetInstanceAsync(instanceId, ct) is null) throw;
        }
    }
}
