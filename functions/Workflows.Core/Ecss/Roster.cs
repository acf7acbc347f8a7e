using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NodaTime;
using Workflows.Audit;
using Workflows.Http;
using Workflows.Staff;
using Workflows.Storage;

namespace Workflows.Ecss;

/// <summary>
/// A health care assistant in the ECSS on-call pool: <see cref="Id"/> is their staff id; name and phone come from their
/// staff record, the home postcode district from the pool.
/// </summary>
public sealed record Hca(string Id, string Name, string Phone, string HomeDistrict);

/// <summary>A place in a team's on-call pool: who, and the postcode district they set out from.</summary>
public sealed record PoolPlace(string StaffId, string HomeDistrict);

/// <summary>Who is on a shift, and whether a coordinator set it or the rota pattern gave it.</summary>
public sealed record ShiftRoster(Shift Shift, IReadOnlyList<string> HcaIds, string Source, string? SetBy, DateTimeOffset? SetAt);

/// <summary>
/// The ECSS roster in Table Storage (EcssRoster, partitioned by team): the pool of HCAs (staff id and home district),
/// a rota pattern that puts a group of them on every shift, and per-shift entries a coordinator sets, which override
/// the pattern. An HCA is offered cases only while in the pool and while their staff record holds the hca role.
/// Changes to the pool and the pattern are audited.
/// </summary>
public sealed class Roster(TableStore store, EcssSettings settings, StaffDirectory staff, AuditTrail audit)
{
    /// <summary>The pattern's first group works the day shift of this Monday; groups then take shifts in turn.</summary>
    public static readonly LocalDate PatternAnchor = new(2026, 1, 5);

    public const string FromRota = "rota";
    public const string FromPattern = "pattern";

    private TableClient Table => store.Table(TableNames.EcssRoster);
    private string Team => settings.Team;
    private string HcaPartition => $"{Team}:hca";
    private string ShiftPartition => $"{Team}:shift";
    private string PatternPartition => $"{Team}:pattern";

    public string PoolEntity(string staffId) => $"ecss-pool:{Team}:{staffId}";
    public string PatternEntity => $"ecss-rota-pattern:{Team}";

    /// <summary>The HCAs who can be offered a case: in the pool, and holding the hca role with a work phone on their staff record.</summary>
    public async Task<IReadOnlyList<Hca>> HcasAsync(CancellationToken ct = default)
    {
        var people = (await staff.AllAsync(ct)).ToDictionary(m => m.Id);
        return (await PoolAsync(ct))
            .Where(p => people.TryGetValue(p.StaffId, out var m) && m.Holds(Roles.Hca) && m.Phone is not null)
            .Select(p => new Hca(p.StaffId, people[p.StaffId].Name, people[p.StaffId].Phone!, p.HomeDistrict))
            .ToList();
    }

    /// <summary>The pool as it is kept, whatever the staff records say.</summary>
    public async Task<IReadOnlyList<PoolPlace>> PoolAsync(CancellationToken ct = default)
    {
        var list = new List<PoolPlace>();
        await foreach (var e in Table.QueryAsync<TableEntity>(x => x.PartitionKey == HcaPartition, cancellationToken: ct))
            list.Add(new PoolPlace(e.RowKey, e.GetString("HomeDistrict")));
        return list;
    }

    /// <summary>An HCA's name and phone from their staff record and, while they are in the pool, their home district.</summary>
    public async Task<Hca?> FindHcaAsync(string id, CancellationToken ct = default)
    {
        if (await staff.FindAsync(id, ct) is not { } m) return null;
        var place = await Table.GetEntityIfExistsAsync<TableEntity>(HcaPartition, id, cancellationToken: ct);
        return new Hca(id, m.Name, m.Phone ?? "", place.HasValue ? place.Value!.GetString("HomeDistrict") : "");
    }

    /// <summary>Puts an HCA in the pool, or changes their home district; false when they were there already with it.</summary>
    public async Task<bool> PutInPoolAsync(PoolPlace place, Actor by, CancellationToken ct = default)
    {
        var before = await Table.GetEntityIfExistsAsync<TableEntity>(HcaPartition, place.StaffId, cancellationToken: ct);
        var was = before.HasValue ? new PoolPlace(place.StaffId, before.Value!.GetString("HomeDistrict")) : null;
        if (was == place) return false;
        return await audit.RecordAsync(PoolEntity(place.StaffId), was is null ? "added" : "changed", by, was, place, async () =>
        {
            await Table.UpsertEntityAsync(new TableEntity(HcaPartition, place.StaffId) { ["HomeDistrict"] = place.HomeDistrict }, TableUpdateMode.Replace, ct);
            return true;
        }, ct);
    }

    /// <summary>
    /// Puts an HCA in the pool unless they are there or ever were (an import, the local seeds): an admin's change, a
    /// removal included, is never undone.
    /// </summary>
    public async Task<bool> PutInPoolIfNeverAsync(PoolPlace place, Actor by, CancellationToken ct = default) =>
        !await WasEverInPoolAsync(place.StaffId, ct) && await PutInPoolAsync(place, by, ct);

    /// <summary>Whether the HCA is in the pool or ever was (an admin may have taken them out).</summary>
    public async Task<bool> WasEverInPoolAsync(string staffId, CancellationToken ct = default) =>
        (await Table.GetEntityIfExistsAsync<TableEntity>(HcaPartition, staffId, cancellationToken: ct)).HasValue
        || await audit.HasHistoryAsync(PoolEntity(staffId), ct);

    /// <summary>Takes an HCA out of the pool: offered no new case; the cases they attend stay theirs until the next handover.</summary>
    public async Task<bool> RemoveFromPoolAsync(string staffId, Actor by, CancellationToken ct = default)
    {
        var before = await Table.GetEntityIfExistsAsync<TableEntity>(HcaPartition, staffId, cancellationToken: ct);
        if (!before.HasValue) return false;
        var was = new PoolPlace(staffId, before.Value!.GetString("HomeDistrict"));
        return await audit.RecordAsync(PoolEntity(staffId), "removed", by, was, null, async () =>
        {
            try { await Table.DeleteEntityAsync(HcaPartition, staffId, before.Value.ETag, ct); return true; }
            catch (RequestFailedException e) when (e.IsNotFound() || e.IsPreconditionFailed()) { return false; }
        }, ct);
    }

    /// <summary>The rota pattern's groups, in turn from <see cref="PatternAnchor"/>.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> PatternAsync(CancellationToken ct = default)
    {
        var pattern = await Table.GetEntityIfExistsAsync<TableEntity>(PatternPartition, "groups", cancellationToken: ct);
        return pattern.HasValue ? JsonSerializer.Deserialize<List<List<string>>>(pattern.Value!.GetString("Json"), Json.Options)! : [];
    }

    /// <summary>Sets the rota pattern; false when it was already this one.</summary>
    public async Task<bool> SetPatternAsync(IReadOnlyList<IReadOnlyList<string>> groups, Actor by, CancellationToken ct = default)
    {
        var before = await PatternAsync(ct);
        if (before.Count == groups.Count && before.Zip(groups).All(g => g.First.SequenceEqual(g.Second))) return false;
        return await audit.RecordAsync(PatternEntity, before.Count == 0 ? "created" : "changed", by, new { groups = before }, new { groups }, async () =>
        {
            await Table.UpsertEntityAsync(new TableEntity(PatternPartition, "groups")
            {
                ["Json"] = JsonSerializer.Serialize(groups, Json.Options),
            }, TableUpdateMode.Replace, ct);
            return true;
        }, ct);
    }

    /// <summary>Sets the rota pattern unless there is one or ever was (an import, the local seeds).</summary>
    public async Task<bool> SetPatternIfNeverAsync(IReadOnlyList<IReadOnlyList<string>> groups, Actor by, CancellationToken ct = default) =>
        !await HadPatternAsync(ct) && await SetPatternAsync(groups, by, ct);

    /// <summary>Whether the team has a rota pattern or ever had one.</summary>
    public async Task<bool> HadPatternAsync(CancellationToken ct = default) =>
        (await PatternAsync(ct)).Count > 0 || await audit.HasHistoryAsync(PatternEntity, ct);

    /// <summary>Whether someone has set who works <paramref name="shift"/> (so the pattern does not decide it).</summary>
    public async Task<bool> IsShiftSetAsync(Shift shift, CancellationToken ct = default) =>
        (await Table.GetEntityIfExistsAsync<TableEntity>(ShiftPartition, shift.Key, cancellationToken: ct)).HasValue;

    /// <summary>Who is on <paramref name="shift"/>: the coordinator's entry if there is one, else the rota pattern's group.</summary>
    public async Task<ShiftRoster> OnShiftAsync(Shift shift, CancellationToken ct = default)
    {
        var set = await Table.GetEntityIfExistsAsync<TableEntity>(ShiftPartition, shift.Key, cancellationToken: ct);
        if (set.HasValue)
            return new ShiftRoster(shift, set.Value!.GetString("HcaIds").Split(','), FromRota,
                set.Value.GetString("SetBy"), set.Value.GetDateTimeOffset("SetAt"));
        var groups = await PatternAsync(ct);
        return new ShiftRoster(shift, groups.Count == 0 ? [] : groups[PatternGroup(shift, groups.Count)], FromPattern, null, null);
    }

    /// <summary>The rota pattern's group for a shift: groups take consecutive shifts in turn from the anchor day shift.</summary>
    public static int PatternGroup(Shift shift, int groups)
    {
        var index = (long)Period.Between(PatternAnchor, shift.Date, PeriodUnits.Days).Days * 2 + (shift.Kind == ShiftKind.Night ? 1 : 0);
        return (int)(((index % groups) + groups) % groups);
    }

    /// <summary>
    /// Sets who works a shift. With <paramref name="onlyIfUnset"/> an existing entry is kept (an import, the local seeds).
    /// False when nothing was written.
    /// </summary>
    public async Task<bool> SetShiftAsync(Shift shift, IReadOnlyList<string> hcaIds, string setBy, DateTimeOffset at,
        bool onlyIfUnset = false, CancellationToken ct = default)
    {
        var entity = new TableEntity(ShiftPartition, shift.Key)
        {
            ["HcaIds"] = string.Join(',', hcaIds), ["SetBy"] = setBy, ["SetAt"] = at,
        };
        if (!onlyIfUnset)
        {
            await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
            return true;
        }
        try
        {
            await Table.AddEntityAsync(entity, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict()) { return false; }
    }

    /// <summary>Marks a shift boundary as handed over; false when it already was (the handover runs once per boundary).</summary>
    public async Task<bool> MarkHandedOverAsync(Shift incoming, DateTimeOffset at, CancellationToken ct = default)
    {
        try
        {
            await Table.AddEntityAsync(new TableEntity($"{Team}:handover", incoming.Key) { ["At"] = at }, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict()) { return false; }
    }

    public async Task<bool> WasHandedOverAsync(Shift incoming, CancellationToken ct = default) =>
        (await Table.GetEntityIfExistsAsync<TableEntity>($"{Team}:handover", incoming.Key, cancellationToken: ct)).HasValue;
}
