using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace Workflows.Storage;

/// <summary>
/// The "open" partition of a record's table: one row per record not yet finished, keyed by the record's id, so a list of
/// the open ones reads them by key however many have finished. Kept by the record's store in the same write as the
/// record, in an order that leaves it naming too many, never too few (they cannot share a transaction: the record's
/// partition is its own): <see cref="AddAsync"/> before the record enters, <see cref="RemoveAsync"/> after it has left.
/// <see cref="ReadAsync"/> reads each record's own row and removes the index rows it finds stale (hazard H61).
/// An index of part of a table's open records (an HCA's open offers) lives in a <paramref name="partition"/> of its own.
/// </summary>
public sealed class OpenIndex(Func<TableClient> table, string partition = OpenIndex.Partition)
{
    public const string Partition = "open";
    /// <summary>An index row with no record yet may be an intake between its two writes: left alone this long.</summary>
    private static readonly TimeSpan IntakeGrace = TimeSpan.FromMinutes(10);

    public Task AddAsync(string id, CancellationToken ct) =>
        table().UpsertEntityAsync(new TableEntity(partition, id), TableUpdateMode.Replace, ct);

    public Task RemoveAsync(string id, CancellationToken ct) => RemoveAsync(id, ETag.All, ct);

    /// <summary>The open records, each read by <paramref name="find"/>; index rows naming one not open are removed.</summary>
    public async IAsyncEnumerable<T> ReadAsync<T>(Func<string, CancellationToken, Task<T?>> find, Func<T, bool> isOpen,
        [EnumeratorCancellation] CancellationToken ct) where T : class
    {
        var index = new List<TableEntity>();
        await foreach (var e in table().QueryAsync<TableEntity>(x => x.PartitionKey == partition, cancellationToken: ct)) index.Add(e);
        var rows = await Task.WhenAll(index.Select(e => find(e.RowKey, ct)));
        for (var i = 0; i < index.Count; i++)
        {
            if (rows[i] is { } r && isOpen(r)) yield return r;
            // On its ETag: a record reopened meanwhile wrote its index row again, and keeps it.
            else if (rows[i] is not null || index[i].Timestamp < DateTimeOffset.UtcNow - IntakeGrace)
                await RemoveAsync(index[i].RowKey, index[i].ETag, ct);
        }
    }

    /// <summary>
    /// For a one-off store upgrade: index rows (no columns) for each partition's ids, in batches of up to 100. Idempotent.
    /// The rows written.
    /// </summary>
    public async Task<int> UpsertAllAsync(IReadOnlyDictionary<string, List<string>> idsByPartition, CancellationToken ct)
    {
        var batches = idsByPartition.SelectMany(p => p.Value.Chunk(100).Select(ids => (Partition: p.Key, Ids: ids)));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (b, token) =>
            await table().SubmitTransactionAsync(b.Ids.Select(id => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(b.Partition, id))), token));
        return idsByPartition.Sum(p => p.Value.Count);
    }

    private async Task RemoveAsync(string id, ETag etag, CancellationToken ct)
    {
        try { await table().DeleteEntityAsync(partition, id, etag, ct); }
        catch (RequestFailedException e) when (e.IsNotFound() || e.IsPreconditionFailed()) { }
    }
}
