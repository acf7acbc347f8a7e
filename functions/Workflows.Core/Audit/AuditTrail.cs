using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Workflows.Http;
using Workflows.Storage;

namespace Workflows.Audit;

/// <summary>Who made a change: a member of staff (their staff id and name), or the app itself ("seed", "setting").</summary>
public sealed record Actor(string Id, string Name)
{
    public static Actor Of(StaffPrincipal staff) => new(staff.UserId, staff.Name);
}

/// <summary>One change to a record: who, when, what it was before and after (null: it did not exist / no longer does).</summary>
public sealed record AuditEntry(string Entity, DateTimeOffset At, string Action, Actor By, JsonElement? Before, JsonElement? After);

/// <summary>
/// The audit trail of the reference data staff manage in the app (staff records, the ECSS pool and rota pattern, the
/// service directory and bank holidays, District Direct hospitals and housing authorities, and the fund years): one table, a partition per record
/// ("staff:anp-1"), a row per change, oldest first. Every owner of such a record makes its changes through
/// <see cref="RecordAsync"/>, so no change is stored without its entry.
/// </summary>
public sealed partial class AuditTrail(TableStore store, TimeProvider time)
{
    [GeneratedRegex(@"^[a-z][a-z-]{0,39}(:[A-Za-z0-9][A-Za-z0-9._-]{0,63}){1,3}$")]
    private static partial Regex EntityPattern();

    public const string EntityRule = "Name a record as kind:id, e.g. staff:anp-1.";

    private TableClient Table => store.Table(TableNames.AdminAudit);

    /// <summary>Whether <paramref name="entity"/> names a record ("staff:anp-1", "ecss-pool:derbyshire:hca-01"): safe as a table key.</summary>
    public static bool IsEntity(string? entity) => entity is not null && EntityPattern().IsMatch(entity);

    /// <summary>
    /// Writes the entry, then makes <paramref name="change"/>; if the change is not made (it answers false or throws) the
    /// entry is taken back. The entry goes first so that a change can never be stored without one: a crash between
    /// the two leaves at most an entry for a change that did not happen, never a change nobody can trace.
    /// </summary>
    public async Task<bool> RecordAsync(string entity, string action, Actor by, object? before, object? after, Func<Task<bool>> change,
        CancellationToken ct = default)
    {
        if (!IsEntity(entity)) throw new ArgumentException($"Not an audit entity: {entity}", nameof(entity));
        var at = time.GetUtcNow();
        var row = new TableEntity(entity, $"{at.UtcTicks:D19}-{Guid.NewGuid():N}")
        {
            ["At"] = at, ["Action"] = action, ["ById"] = by.Id, ["ByName"] = by.Name,
            ["Before"] = before is null ? null : JsonSerializer.Serialize(before, Json.Options),
            ["After"] = after is null ? null : JsonSerializer.Serialize(after, Json.Options),
        };
        await Table.AddEntityAsync(row, ct);
        var made = false;
        try
        {
            made = await change();
            return made;
        }
        finally
        {
            if (!made)
                try { await Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, CancellationToken.None); }
                catch (RequestFailedException) { } // gone already, or storage down: the entry stays, naming a change not made
        }
    }

    /// <summary>
    /// Whether <paramref name="entity"/> has ever been changed: a record that is absent but has a trail was removed by
    /// someone, and an import must not bring it back.
    /// </summary>
    public async Task<bool> HasHistoryAsync(string entity, CancellationToken ct = default)
    {
        if (!IsEntity(entity)) return false;
        await foreach (var _ in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {entity}"), maxPerPage: 1,
                           select: ["PartitionKey"], cancellationToken: ct))
            return true;
        return false;
    }

    /// <summary>The changes to <paramref name="entity"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string entity, CancellationToken ct = default)
    {
        var list = new List<AuditEntry>();
        if (!IsEntity(entity)) return list;
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {entity}"), cancellationToken: ct))
            list.Add(new AuditEntry(entity, e.GetDateTimeOffset("At")!.Value, e.GetString("Action"), new Actor(e.GetString("ById"), e.GetString("ByName")),
                Parse(e.GetString("Before")), Parse(e.GetString("After"))));
        return list;
    }

    private static JsonElement? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<JsonElement>(json);
}
