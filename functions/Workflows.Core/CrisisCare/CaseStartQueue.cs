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
        QueueServiceClient service;
        if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
            service = new QueueServiceClient(settings.ConnectionString, options);
        else if (settings.QueueServiceUri is { } uri)
            service = new QueueServiceClient(uri, settings.Credential(), options);
        else
            throw new InvalidOperationException(
                "No queue storage configured: set DataStorage or AzureWebJobsStorage (a connection string), or its __queueServiceUri.");
        Queue = service.GetQueueClient(name);
        Poison = service.GetQueueClient(name + "-poison");
    }

    public QueueClient Queue { get; }

    /// <summary>Where the Functions queue trigger moves a start that failed maxDequeueCount times (H19); nobody reads it but the watch.</summary>
    public QueueClient Poison { get; }

    /// <summary>About how many case starts have been given up on (0 when the queue was never made).</summary>
    public async Task<int> PoisonedCountAsync(CancellationToken ct = default)
    {
        if (!await Poison.ExistsAsync(ct)) return 0;
        return (await Poison.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
    }

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
