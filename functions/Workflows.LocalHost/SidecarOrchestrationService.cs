using Azure;
using Azure.Data.Tables;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Extensions.Logging;

namespace Workflows.LocalHost;

/// <summary>
/// AzureStorageOrchestrationService as the InProcessTestHost sidecar needs it. The two were not made for each other:
/// the sidecar starts the service only once a worker connects but always stops it (from an async void handler, where
/// the service's throw on a never-started stop would kill the process), and it hands over sub-orchestration starts
/// and history events in shapes the Azure Storage backend cannot store. Unlike DurableTask.Core's own dispatcher, it
/// does not drop a start message delivered again after a crash; this drops it and mends the instance's status row
/// (H20). Everything else passes straight through. <paramref name="instances"/> is the Azure Storage engine's
/// Instances table (null for the in-memory engine).
/// </summary>
public sealed class SidecarOrchestrationService(IOrchestrationService inner, TableClient? instances, ILogger<SidecarOrchestrationService> log)
    : IOrchestrationService
{
    private readonly object _gate = new();
    private Task? _started;
    private Task? _stopped;

    public Task StartAsync()
    {
        lock (_gate) return _started ??= inner.StartAsync();
    }

    public Task StopAsync() => StopAsync(false);

    /// <summary>Stops once: the sidecar's handler and the engine's own dispose both ask.</summary>
    public Task StopAsync(bool isForced)
    {
        lock (_gate) return _stopped ??= StopOnceAsync(_started, isForced);
    }

    private async Task StopOnceAsync(Task? started, bool isForced)
    {
        if (started is null) return;
        try { await started; }
        catch (Exception) { return; }
        await inner.StopAsync(isForced);
    }

    public Task CreateAsync() => inner.CreateAsync();
    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);
    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();
    public Task DeleteAsync() => inner.DeleteAsync();
    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);
    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;
    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;
    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;
    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);
    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var item = await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        // A host killed after an episode saved its history but before it deleted its messages gets the start message
        // again. The sidecar adds it to a history that already starts with one, which throws ("Multiple
        // ExecutionStartedEvent found") on every delivery: the case never moves again. The message is still deleted
        // with the batch when the episode completes.
        var started = item?.OrchestrationRuntimeState?.ExecutionStartedEvent?.OrchestrationInstance?.ExecutionId;
        bool Again(TaskMessage m) => m.Event is ExecutionStartedEvent && m.OrchestrationInstance.ExecutionId == started;
        if (started is not null && item!.NewMessages.Any(Again))
        {
            log.LogWarning("Orchestration {InstanceId}: a start message delivered again is ignored; the orchestration has started.", item.InstanceId);
            item.NewMessages = item.NewMessages.Where(m => !Again(m)).ToList();
            if (item.OrchestrationRuntimeState.OrchestrationStatus == OrchestrationStatus.Running) await MarkRunningAsync(item.InstanceId);
        }
        return item!;
    }

    /// <summary>
    /// The engine sets an instance's row to Running only in the episode whose new events hold its start, after saving
    /// the history. An episode killed between the two left the row Pending, and no later episode changes it until the
    /// orchestration ends: routes that wait for the start (H18) would answer 503 for good. Our instance ids need no
    /// escaping as partition keys.
    /// </summary>
    private async Task MarkRunningAsync(string instanceId)
    {
        if (instances is null) return;
        var row = await instances.GetEntityIfExistsAsync<TableEntity>(instanceId, "", ["RuntimeStatus"]);
        if (row is not { HasValue: true, Value: { } status } || status.GetString("RuntimeStatus") != nameof(OrchestrationStatus.Pending)) return;
        try
        {
            await instances.UpdateEntityAsync(new TableEntity(instanceId, "") { ["RuntimeStatus"] = nameof(OrchestrationStatus.Running) }, status.ETag);
            log.LogWarning("Orchestration {InstanceId}: its status read Pending after it had started; set to Running.", instanceId);
        }
        catch (RequestFailedException e) when (e.Status == 412) { } // the engine wrote the row meanwhile: it is current
    }
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);
    public Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages, IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState)
    {
        // The sidecar starts a sub-orchestration with the gRPC request's tag map (a protobuf MapField); the Azure
        // Storage queue serialiser writes its .NET type name and cannot read it back, so the sub-orchestration never
        // starts. A plain dictionary carries the same tags.
        foreach (var m in orchestratorMessages)
            if (m.Event is ExecutionStartedEvent { Tags: { } tags } started && tags is not Dictionary<string, string>)
                started.Tags = new Dictionary<string, string>(tags);
        // Its history event for the parent is a subclass the history table writes without an EventType, which makes
        // the parent unloadable: store the plain event the subclass extends (it only adds a trace context).
        PlainSubOrchestrationEvents(newOrchestrationRuntimeState.Events);
        PlainSubOrchestrationEvents(newOrchestrationRuntimeState.NewEvents);
        return inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    private static void PlainSubOrchestrationEvents(IList<HistoryEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
            if (events[i] is SubOrchestrationInstanceCreatedEvent e && e.GetType() != typeof(SubOrchestrationInstanceCreatedEvent))
                events[i] = new SubOrchestrationInstanceCreatedEvent(e.EventId)
                {
                    Name = e.Name, Version = e.Version, InstanceId = e.InstanceId, Input = e.Input, Timestamp = e.Timestamp, IsPlayed = e.IsPlayed,
                };
    }

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) => inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);
    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) => inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
}
