using System.Runtime.Serialization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.Messaging;

public static class SmsStatus
{
    /// <summary>Handed to the carrier; no answer yet (or the process stopped mid-send).</summary>
    public const string Sending = "sending";
    /// <summary>The carrier failed in a way worth trying again (429, 5xx, timeout after every retry).</summary>
    public const string Retrying = "retrying";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Undelivered = "undelivered";
    /// <summary>The carrier refused it for good (for example the recipient result was unsuccessful).</summary>
    public const string Failed = "failed";
    /// <summary>Not sent: a family recipient replied STOP.</summary>
    public const string Suppressed = "suppressed";
    /// <summary>Not sent: not a UK mobile number.</summary>
    public const string Rejected = "rejected";
    /// <summary>Not sent yet: SMS is not configured. Looked at again on the next start with good settings.</summary>
    public const string Waiting = "waiting";
    /// <summary>Not sent: it waited for SMS to be configured and was stale by then (<see cref="WaitingTexts"/>).</summary>
    public const string Withdrawn = "withdrawn";
}

/// <summary>A message as stored in the SmsMessages table: what it was, where it went, and what became of it.</summary>
public sealed class SentMessage : ITableEntity
{
    public const string Row = "message";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string MessageId { get; set; } = "";
    public string To { get; set; } = "";
    public string Body { get; set; } = "";
    public string Tag { get; set; } = "";
    /// <summary>Family or Staff (<see cref="SmsAudience"/>): why a STOP did or did not suppress it.</summary>
    public string? Audience { get; set; }
    public string Status { get; set; } = SmsStatus.Sending;
    public string? Error { get; set; }
    public string? ProviderMessageId { get; set; }
    /// <summary>When the first attempt went out: ACS's repeatabilityFirstSent, the same on every retry.</summary>
    public DateTimeOffset FirstSentAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? DeliveryReportAt { get; set; }
    public string? DeliveryStatus { get; set; }
    public string? DeliveryDetails { get; set; }
    public string? NotifyInstanceId { get; set; }
    public string? NotifyEventName { get; set; }
    public bool UndeliveredRaised { get; set; }
    /// <summary>An alert to staff: a held-back alert goes however late.</summary>
    public bool SafetyAlert { get; set; }
    /// <summary>When it was held back because SMS was not configured: when it was due.</summary>
    public DateTimeOffset? HeldAt { get; set; }

    [IgnoreDataMember]
    public ReplyRoute? NotifyOnFailure => NotifyInstanceId is { } i && NotifyEventName is { } e ? new ReplyRoute(i, e) : null;

    [IgnoreDataMember]
    public SmsMessage Message => new(MessageId, To, Body, Tag,
        // A row from before audiences were recorded: a safety alert was staff's, anything else honours STOP.
        Enum.TryParse<SmsAudience>(Audience, out var audience) ? audience : SafetyAlert ? SmsAudience.Staff : SmsAudience.Family,
        NotifyOnFailure, SafetyAlert);

    [IgnoreDataMember]
    public SmsSendResult Result => Status switch
    {
        SmsStatus.Sent or SmsStatus.Delivered or SmsStatus.Undelivered => new SmsSendResult(true, ProviderMessageId),
        _ => new SmsSendResult(false, ProviderMessageId, Error ?? Status, Retryable: Status == SmsStatus.Retrying),
    };
}

/// <summary>
/// The SmsMessages table: one row per message id, an index row per ACS message id for receipts, one row per text
/// waiting for SMS to be configured in the "waiting" partition, so a start reads those and not the whole table, and an
/// index row per text in its tag's partition ("tag-" and the tag: a case's texts, a referral's), so a case's page reads
/// its own texts by key however many the service has sent.
/// </summary>
public sealed class SentMessages(TableStore store)
{
    private const string ProviderRow = "provider";
    private const string WaitingPartition = "waiting";
    /// <summary>The one-off step that indexed the texts sent before the tag index (<see cref="IndexTagsAsync"/>).</summary>
    public const string TagIndexUpgrade = "sms-by-tag";

    private TableClient Table => store.Table(TableNames.SmsMessages);

    public async Task<SentMessage?> FindAsync(string messageId, CancellationToken ct = default)
    {
        var r = await Table.GetEntityIfExistsAsync<SentMessage>(Key(messageId), SentMessage.Row, cancellationToken: ct);
        return r.HasValue ? r.Value : null;
    }

    public async Task<SentMessage?> FindByProviderIdAsync(string providerMessageId, CancellationToken ct = default)
    {
        var index = await Table.GetEntityIfExistsAsync<TableEntity>(ProviderKey(providerMessageId), ProviderRow, cancellationToken: ct);
        return index.HasValue ? await FindAsync(index.Value!.GetString("MessageId"), ct) : null;
    }

    /// <summary>Adds the row; false when it already exists (another run of the same send got there first).</summary>
    public async Task<bool> TryAddAsync(SentMessage m, CancellationToken ct = default)
    {
        m.PartitionKey = Key(m.MessageId);
        // The tag's index row first (they cannot share a transaction: the text's partition is its own): a text the index
        // did not name would never show on its case's page, while an index row whose text was never added is passed over.
        if (m.Tag.Length > 0) await IndexTagAsync(m.Tag, m.MessageId, ct);
        try { await Table.AddEntityAsync(m, ct); return true; }
        catch (RequestFailedException e) when (e.IsConflict()) { return false; }
    }

    /// <summary>Saves changes if nobody else changed the row since it was read.</summary>
    public async Task<bool> TryUpdateAsync(SentMessage m, CancellationToken ct = default)
    {
        try
        {
            var r = await Table.UpdateEntityAsync(m, m.ETag, TableUpdateMode.Replace, ct);
            m.ETag = r.Headers.ETag ?? m.ETag;
            return true;
        }
        catch (RequestFailedException e) when (e.IsPreconditionFailed()) { return false; }
    }

    public Task IndexProviderIdAsync(string providerMessageId, string messageId, CancellationToken ct = default) =>
        Table.UpsertEntityAsync(new TableEntity(ProviderKey(providerMessageId), ProviderRow) { ["MessageId"] = messageId },
            TableUpdateMode.Replace, ct);

    public Task MarkWaitingAsync(string messageId, CancellationToken ct = default) =>
        Table.UpsertEntityAsync(new TableEntity(WaitingPartition, Key(messageId)) { ["MessageId"] = messageId }, TableUpdateMode.Replace, ct);

    /// <summary>The ids of the texts marked waiting (some may have moved on since; the caller reads each).</summary>
    public async Task<IReadOnlyList<string>> WaitingAsync(CancellationToken ct = default)
    {
        var ids = new List<string>();
        await foreach (var e in Table.QueryAsync<TableEntity>(x => x.PartitionKey == WaitingPartition, select: ["MessageId"], cancellationToken: ct))
            ids.Add(e.GetString("MessageId"));
        return ids;
    }

    public async Task ClearWaitingAsync(string messageId, CancellationToken ct = default)
    {
        try { await Table.DeleteEntityAsync(WaitingPartition, Key(messageId), cancellationToken: ct); }
        catch (RequestFailedException e) when (e.IsNotFound()) { }
    }

    /// <summary>The texts tagged <paramref name="tag"/> (a case's id), read by key through the tag's index.</summary>
    public async Task<IReadOnlyList<SentMessage>> ForTagAsync(string tag, CancellationToken ct = default)
    {
        var ids = new List<string>();
        await foreach (var e in Table.QueryAsync<TableEntity>(x => x.PartitionKey == TagKey(tag), select: ["MessageId"], cancellationToken: ct))
            ids.Add(e.GetString("MessageId"));
        var rows = await Task.WhenAll(ids.Select(id => FindAsync(id, ct)));
        return rows.OfType<SentMessage>().Where(m => m.Tag == tag).ToList();
    }

    /// <summary>
    /// The one-off step (<see cref="TagIndexUpgrade"/>) for texts added before the tag index: reads every text once and
    /// writes its index row, a tag's rows in batches of up to 100. Idempotent. The number of index rows written.
    /// </summary>
    public async Task<int> IndexTagsAsync(CancellationToken ct = default)
    {
        var byTag = new Dictionary<string, List<string>>();
        await foreach (var e in Table.QueryAsync<TableEntity>(x => x.RowKey == SentMessage.Row, select: ["MessageId", "Tag"], cancellationToken: ct))
        {
            if (e.GetString("Tag") is not { Length: > 0 } tag) continue;
            if (!byTag.TryGetValue(tag, out var ids)) byTag[tag] = ids = [];
            ids.Add(e.GetString("MessageId"));
        }
        var batches = byTag.SelectMany(t => t.Value.Chunk(100).Select(ids => (Tag: t.Key, Ids: ids)));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (b, token) =>
            await Table.SubmitTransactionAsync(b.Ids.Select(id => new TableTransactionAction(TableTransactionActionType.UpsertReplace, TagRow(b.Tag, id))), token));
        return byTag.Sum(t => t.Value.Count);
    }

    private Task IndexTagAsync(string tag, string messageId, CancellationToken ct) =>
        Table.UpsertEntityAsync(TagRow(tag, messageId), TableUpdateMode.Replace, ct);

    private static TableEntity TagRow(string tag, string messageId) => new(TagKey(tag), Key(messageId)) { ["MessageId"] = messageId };

    private static string TagKey(string tag) => "tag-" + Key(tag);

    /// <summary>Message ids are the callers' ("case-...-offer-2"): used as keys when safe, hashed when not.</summary>
    public static string Key(string id) =>
        id.Length is > 0 and <= 200 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '+' or '=')
            ? id
            : "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private static string ProviderKey(string providerMessageId) => "acs-" + Key(providerMessageId);
}
