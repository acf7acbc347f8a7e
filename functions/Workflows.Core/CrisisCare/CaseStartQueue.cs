using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Workflows.Storage;

namespace Workflows.CrisisCare;

/// <summary>
/// The queue between answering 111 and starting the case's orchestration. A call is acknowledged once its case row
/// and a message here are written to the app's data account; the orchestration is started from this queue (a queue
/// trigger in Azure, <c>CaseStartListener</c> in the local host). So 111 never waits behind the durable engine's
/// storage, however many cases it is working through.
/// </summary>
public sealed class CaseStartQueue
{
    /// <summary>
    /// The setting naming the queue (flat, like TaskHubName, so the Functions trigger can read it as
    /// <c>%CaseStartQueue%</c>). One queue per deployment: hosts sharing a data account must not take each other's cases.
    /// </summary>
    public const string Setting = "CaseStartQueue";
    public const string DefaultName = "case-starts";

    public CaseStartQueue(StorageSettings settings, IConfiguration config)
    {
        var name = config[Setting] is { Length: > 0 } configured ? configured : DefaultName;
        // Base64: the encoding the Functions queue trigger reads by default.
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
            Queue = new QueueClient(settings.ConnectionString, name, options);
        else if (settings.QueueServiceUri is { } uri)
            Queue = new QueueServiceClient(uri, settings.Credential(), options).GetQueueClient(name);
        else
            throw new InvalidOperationException(
                "No queue storage configured: set DataStorage or AzureWebJobsStorage (a connection string), or its __queueServiceUri.");
    }

    public QueueClient Queue { get; }

    public Task EnsureCreatedAsync(CancellationToken ct = default) => Queue.CreateIfNotExistsAsync(cancellationToken: ct);

    /// <summary>Raised after a message is sent, so a listener in the same process need not wait for its next poll.</summary>
    public event Action? Sent;

    /// <summary>Asks for the case's orchestration to be started. The message is the case id.</summary>
    public async Task SendAsync(string caseId, CancellationToken ct = default)
    {
        await Queue.SendMessageAsync(caseId, ct);
        Sent?.Invoke();
    }
}
