using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Workflows.Audit;
using Workflows.Http;
using Workflows.Storage;

namespace Workflows.Staff;

public enum SaveOutcome { Created, Saved, Unchanged, Exists, IdentityTaken, LastAdmin, Busy }

/// <summary>
/// What a save did. <see cref="Before"/> is the record as it was; with <see cref="SaveOutcome.IdentityTaken"/>,
/// <see cref="Identity"/> is linked already to <see cref="Holder"/>.
/// </summary>
public sealed record SaveResult(SaveOutcome Outcome, StaffMember? Before, string? Identity = null, StaffMember? Holder = null);

/// <summary>
/// The staff directory in Table Storage (Staff), the only writer of its rows. One partition holds a row per person
/// (<c>member:{staffId}</c>), a row per sign-in identity naming its person (<c>identity:{id}</c>), and the list of
/// admins (<c>admins</c>). A save writes the person, their identities and the admins list in one entity-group
/// transaction, guarded by ETags and retried on a race: an identity belongs to at most one person, and the last admin
/// cannot lose the role, even when two admins act at once. Every save is audited (<see cref="AuditTrail"/>).
/// </summary>
public sealed class StaffDirectory(TableStore store, AuditTrail audit)
{
    private const string Partition = "directory", MemberPrefix = "member:", IdentityPrefix = "identity:", AdminsRow = "admins";
    private const int Attempts = 8;

    private TableClient Table => store.Table(TableNames.Staff);

    /// <summary>The audit trail's name for a person's record.</summary>
    public static string AuditEntity(string staffId) => $"staff:{staffId}";

    public async Task<StaffMember?> FindAsync(string staffId, CancellationToken ct = default) =>
        StaffIds.IsStaffId(staffId) ? (await ReadMemberAsync(staffId, ct)).Member : null;

    /// <summary>The person a sign-in identity is linked to (two point reads), or null.</summary>
    public async Task<StaffMember?> FindByIdentityAsync(string signInId, CancellationToken ct = default)
    {
        if (StaffIds.Identity(signInId) is not { } identity) return null;
        var link = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, IdentityPrefix + identity, cancellationToken: ct);
        return link.HasValue ? await FindAsync(link.Value!.GetString("StaffId"), ct) : null;
    }

    public async Task<IReadOnlyList<StaffMember>> AllAsync(CancellationToken ct = default)
    {
        var list = new List<StaffMember>();
        // ';' follows ':' in ASCII: every member row and nothing else.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {MemberPrefix} and RowKey lt {"member;"}");
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            list.Add(Member(e));
        return list;
    }

    public async Task<bool> AnyAdminAsync(CancellationToken ct = default) => (await ReadAdminsAsync(ct)).Ids.Count > 0;

    /// <summary>Creates the record or replaces it whole.</summary>
    public Task<SaveResult> SaveAsync(StaffMember next, Actor by, CancellationToken ct = default) => WriteAsync(next, by, onlyIfAbsent: false, ct);

    /// <summary>Creates the record unless one with its id exists (seeds, the first admin): never undoes an admin's change.</summary>
    public Task<SaveResult> AddIfAbsentAsync(StaffMember next, Actor by, CancellationToken ct = default) => WriteAsync(next, by, onlyIfAbsent: true, ct);

    private async Task<SaveResult> WriteAsync(StaffMember next, Actor by, bool onlyIfAbsent, CancellationToken ct)
    {
        if (!StaffIds.IsStaffId(next.Id)) throw new ArgumentException($"Not a staff id: {next.Id}", nameof(next));
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var (before, etag) = await ReadMemberAsync(next.Id, ct);
            if (before is not null && onlyIfAbsent) return new(SaveOutcome.Exists, before);
            if (before is not null && before.SameAs(next)) return new(SaveOutcome.Unchanged, before);
            foreach (var identity in next.Identities.Except(before?.Identities ?? []))
            {
                var link = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, IdentityPrefix + identity, cancellationToken: ct);
                if (link.HasValue && link.Value!.GetString("StaffId") is var holder && holder != next.Id)
                    return new(SaveOutcome.IdentityTaken, before, identity, await FindAsync(holder, ct));
            }
            var admins = await ReadAdminsAsync(ct);
            var (wasAdmin, isAdmin) = (before?.Holds(Roles.Admin) == true, next.Holds(Roles.Admin));
            if (wasAdmin && !isAdmin && admins.Ids.All(id => id == next.Id)) return new(SaveOutcome.LastAdmin, before);

            var actions = new List<TableTransactionAction>
            {
                before is null
                    ? new(TableTransactionActionType.Add, MemberRow(next))
                    : new(TableTransactionActionType.UpdateReplace, MemberRow(next), etag),
            };
            foreach (var gone in before?.Identities.Except(next.Identities) ?? [])
                actions.Add(new(TableTransactionActionType.Delete, new TableEntity(Partition, IdentityPrefix + gone), ETag.All));
            foreach (var added in next.Identities.Except(before?.Identities ?? []))
                actions.Add(new(TableTransactionActionType.Add, new TableEntity(Partition, IdentityPrefix + added) { ["StaffId"] = next.Id }));
            if (wasAdmin != isAdmin)
            {
                var ids = isAdmin ? admins.Ids.Append(next.Id) : admins.Ids.Where(id => id != next.Id);
                var row = new TableEntity(Partition, AdminsRow) { ["Ids"] = string.Join(',', ids) };
                actions.Add(admins.ETag is { } e
                    ? new(TableTransactionActionType.UpdateReplace, row, e)
                    : new(TableTransactionActionType.Add, row));
            }

            var written = await audit.RecordAsync(AuditEntity(next.Id), before is null ? "created" : "changed", by, before?.View(), next.View(), async () =>
            {
                try
                {
                    await Table.SubmitTransactionAsync(actions, ct);
                    return true;
                }
                // Someone else wrote the person, an identity or the admins list since we read them: read again and decide again.
                catch (TableTransactionFailedException e) when (e.Status is 409 or 412) { return false; }
            }, ct);
            if (written) return new(before is null ? SaveOutcome.Created : SaveOutcome.Saved, before);
        }
        return new(SaveOutcome.Busy, null);
    }

    private async Task<(StaffMember? Member, ETag ETag)> ReadMemberAsync(string staffId, CancellationToken ct)
    {
        var r = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, MemberPrefix + staffId, cancellationToken: ct);
        return r.HasValue ? (Member(r.Value!), r.Value!.ETag) : (null, default);
    }

    private async Task<(IReadOnlyList<string> Ids, ETag? ETag)> ReadAdminsAsync(CancellationToken ct)
    {
        var r = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, AdminsRow, cancellationToken: ct);
        return r.HasValue
            ? (r.Value!.GetString("Ids").Split(',', StringSplitOptions.RemoveEmptyEntries), r.Value.ETag)
            : ([], null);
    }

    private static TableEntity MemberRow(StaffMember m) =>
        new(Partition, MemberPrefix + m.Id) { ["Json"] = JsonSerializer.Serialize(m, Json.Options) };

    private static StaffMember Member(TableEntity e) => JsonSerializer.Deserialize<StaffMember>(e.GetString("Json"), Json.Options)!;
}
