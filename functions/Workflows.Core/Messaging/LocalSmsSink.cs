using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.Messaging;

public sealed record OutboxEntry(string To, string Message, string Tag, DateTimeOffset SentAt);

/// <summary>The embedded default carrier: every message is kept in the SmsOutbox table instead of being sent.</summary>
public sealed class LocalSmsSink(TableStore store, TimeProvider time) : ISmsCarrier
{
    private const string Partition = "outbox";

    public async Task<CarrierResult> SendAsync(SmsMessage message, DateTimeOffset firstSentAt, CancellationToken ct = default)
    {
        // Keyed by the message id: a replayed send finds its row and adds nothing.
        var entity = new TableEntity(Partition, SentMessages.Key(message.Id))
        {
            ["To"] = message.To, ["Message"] = message.Body, ["Tag"] = message.Tag, ["SentAt"] = time.GetUtcNow(),
        };
        try { await store.Table(TableNames.SmsOutbox).AddEntityAsync(entity, ct); }
        catch (RequestFailedException e) when (e.IsConflict()) { }
        return new CarrierResult(true, "local-" + SentMessages.Key(message.Id));
    }

    public async Task<IReadOnlyList<OutboxEntry>> OutboxAsync(int take = 200, string? to = null, string? tag = null, CancellationToken ct = default)
    {
        var list = new List<OutboxEntry>();
        await foreach (var e in store.Table(TableNames.SmsOutbox).QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: ct))
        {
            var entry = new OutboxEntry(e.GetString("To"), e.GetString("Message"), e.GetString("Tag"), e.GetDateTimeOffset("SentAt")!.Value);
            if ((to is null || entry.To == to) && (tag is null || entry.Tag == tag)) list.Add(entry);
        }
        return list.OrderByDescending(m => m.SentAt).Take(take).ToList();
    }
}
