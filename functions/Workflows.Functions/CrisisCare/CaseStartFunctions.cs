using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;

namespace Workflows.Functions.CrisisCare;

/// <summary>
/// Starts the orchestration of each acknowledged 111 call, and each BaRS response a case asks for, from the case-starts
/// queue (Core's <see cref="CaseStarts"/>).
/// A start that throws is retried by the queue trigger (host.json: visibilityTimeout, maxDequeueCount).
/// </summary>
public sealed class CaseStartFunctions(CaseStarts starts)
{
    [Function("CaseStart")]
    public Task CaseStart(
        [QueueTrigger("%" + CaseStartQueue.Setting + "%", Connection = WorkflowServices.DataStorageConnection)] QueueMessage message,
        [DurableClient] DurableTaskClient client, FunctionContext context) =>
        starts.StartAsync(message.Body.ToString(), message.DequeueCount, client, context.CancellationToken);
}
