using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;

namespace Workflows.Functions.CrisisCare;

/// <summary>
/// Starts the orchestration of each acknowledged 111 call from the case-starts queue (Core's <see cref="CaseIntake.StartAsync"/>).
/// A start that throws is retried by the queue trigger (host.json: visibilityTimeout, maxDequeueCount).
/// </summary>
public sealed class CaseStartFunctions(CaseIntake intake)
{
    [Function("CaseStart")]
    public Task CaseStart(
        [QueueTrigger("%" + CaseStartQueue.Setting + "%", Connection = WorkflowServices.DataStorageConnection)] QueueMessage message,
        [DurableClient] DurableTaskClient client, FunctionContext context) =>
        intake.StartAsync(message.Body.ToString(), message.DequeueCount, client, context.CancellationToken);
}
