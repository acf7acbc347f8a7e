using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.Messaging;

public sealed record OutboxEntry(string To, string Message, string Tag, DateTimeOffset SentAt);

/// <summary>The embedded default: every message is kept in the SmsOutbox table instead of being sent.</summary>
public sealed class LocalSmsSink(TableStore store, TimeProvider time) : ISmsSender
{
    private const string Partition = "outbox";

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken ct = default)
    {
        // Keyed by the message id: a replayed send finds its row and adds nothing.
        var entity = new TableEntity(Partition, message.Id)
        {
            ["To"] = message.To, ["Message"] = message.Body, ["Tag"] = message.Tag, ["SentAt"] = time.GetUtcNow(),
        };
        try { await store.Table(TableNames.SmsOutbox).AddEntityAsync(entity, ct); }
        catch (RequestFailedException e) when (e.IsConflict()) { }
        return new SmsSendResult(true, message.Id);
    }

    public async Task<IReadOnlyList<OutboxEntry>> OutboxAsync(int take = 200, CancellationToken ct = default)
    {
        var list = new List<OutboxEntry>();
        await foreach (var e in store.Table(TableNames.SmsOutbox).QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: ct))
            list.Add(new OutboxEntry(e.GetString("To"), e.GetString("Message"), e.GetString("Tag"), e.GetDateTimeOffset("SentAt")!.Value));
        return list.OrderByDescending(m => m.SentAt).Take(take).ToList();
    }
}
