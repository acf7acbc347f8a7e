using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Workflows.Http;
using Workflows.Storage;

namespace Workflows.Audit;

/// <summary>What a write of a reference record did.</summary>
public enum RecordWrite
{
    Created,
    Changed,
    /// <summary>The record already said exactly this: nothing was written or audited.</summary>
    Unchanged,
    /// <summary>Added only if absent, and it was there (or was removed by someone, which its audit trail shows): left alone.</summary>
    Kept,
    /// <summary>Someone else changed the record at the same moment, every time it was tried: nothing was written.</summary>
    Busy,
}

/// <summary>
/// One kind of reference record (a service, a hospital, a housing authority) kept as JSON in one partition of a table,
/// whose owner makes every change through here: each write is ETag-guarded against a concurrent one and audited
/// (<see cref="AuditTrail"/>, entity <c>{kind}:{id}</c>, before and after as <paramref name="view"/> shows them).
/// </summary>
public sealed class AuditedRecords<T>(Func<TableClient> table, string partition, string kind, AuditTrail audit, JsonSerializerOptions json,
    Func<T, object> view) where T : class
{
    private const int Attempts = 8;

    public string Entity(string id) => $"{kind}:{id}";

    public async Task<T?> FindAsync(string id, CancellationToken ct = default) => (await ReadAsync(id, ct)).Value;

    public async Task<IReadOnlyList<T>> AllAsync(CancellationToken ct = default)
    {
        var list = new List<T>();
        await foreach (var e in table().QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: ct))
            list.Add(JsonSerializer.Deserialize<T>(e.GetString("Json"), json)!);
        return list;
    }

    /// <summary>Creates the record or replaces it whole.</summary>
    public Task<RecordWrite> SaveAsync(string id, T next, Actor by, CancellationToken ct = default) => WriteAsync(id, next, by, onlyIfAbsent: false, ct);

    /// <summary>
    /// Creates the record unless it exists or ever did (an import, the local seeds): never undoes an admin's change,
    /// and never brings back what an admin removed.
    /// </summary>
    public Task<RecordWrite> AddIfAbsentAsync(string id, T next, Actor by, CancellationToken ct = default) => WriteAsync(id, next, by, onlyIfAbsent: true, ct);

    /// <summary>Removes the record; false when there is none.</summary>
    public async Task<bool> RemoveAsync(string id, Actor by, CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (before, etag) = await ReadAsync(id, ct);
            if (before is null) return false;
            var removed = await audit.RecordAsync(Entity(id), "removed", by, view(before), null, async () =>
            {
                try { await table().DeleteEntityAsync(partition, id, etag, ct); return true; }
                catch (RequestFailedException e) when (e.IsPreconditionFailed() || e.IsNotFound()) { return false; }
            }, ct);
            if (removed) return true;
        }
        return false;
    }

    private async Task<RecordWrite> WriteAsync(string id, T next, Actor by, bool onlyIfAbsent, CancellationToken ct)
    {
        var row = new TableEntity(partition, id) { ["Json"] = JsonSerializer.Serialize(next, json) };
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (before, etag) = await ReadAsync(id, ct);
            if (onlyIfAbsent && (before is not null || await audit.HasHistoryAsync(Entity(id), ct))) return RecordWrite.Kept;
            if (before is not null && JsonSerializer.Serialize(before, json) == row.GetString("Json")) return RecordWrite.Unchanged;
            var written = await audit.RecordAsync(Entity(id), before is null ? "created" : "changed", by, before is null ? null : view(before), view(next), async () =>
            {
                try
                {
                    if (before is null) await table().AddEntityAsync(row, ct);
                    else await table().UpdateEntityAsync(row, etag, TableUpdateMode.Replace, ct);
                    return true;
                }
                // Someone else wrote it since we read it: read again and decide again.
                catch (RequestFailedException e) when (e.IsConflict() || e.IsPreconditionFailed()) { return false; }
            }, ct);
            if (written) return before is null ? RecordWrite.Created : RecordWrite.Changed;
        }
        return RecordWrite.Busy;
    }

    private async Task<(T? Value, ETag ETag)> ReadAsync(string id, CancellationToken ct)
    {
        var r = await table().GetEntityIfExistsAsync<TableEntity>(partition, id, cancellationToken: ct);
        return r.HasValue ? (JsonSerializer.Deserialize<T>(r.Value!.GetString("Json"), json), r.Value.ETag) : (null, default);
    }
}

public static class RecordWrites
{
    /// <summary>The answer to a PUT of a reference record: 201 when created, 503 when it kept losing a race, else 200.</summary>
    public static IResult Answer(RecordWrite write, object view, string record) => write switch
    {
        RecordWrite.Created => Results.Json(view, Json.Options, statusCode: StatusCodes.Status201Created),
        RecordWrite.Busy => Problems.Unavailable($"The {record} was being changed by someone else at the same moment; nothing was saved. Try again."),
        _ => Results.Json(view, Json.Options),
    };
}
