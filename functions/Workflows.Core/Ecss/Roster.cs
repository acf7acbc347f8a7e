using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NodaTime;
using Workflows.Http;
using Workflows.Storage;

namespace Workflows.Ecss;

/// <summary>A health care assistant in the ECSS on-call pool. <see cref="Id"/> is their sign-in user id.</summary>
public sealed record Hca(string Id, string Name, string Phone, string HomeDistrict);

/// <summary>Who is on a shift, and whether a coordinator set it or the rota pattern gave it.</summary>
public sealed record ShiftRoster(Shift Shift, IReadOnlyList<string> HcaIds, string Source, string? SetBy, DateTimeOffset? SetAt);

/// <summary>
/// The ECSS roster in Table Storage (EcssRoster, partitioned by team): the HCAs, a rota pattern that puts a group
/// of them on every shift, and per-shift entries a coordinator sets, which override the pattern.
/// </summary>
public sealed class Roster(TableStore store, EcssSettings settings)
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

    public async Task<IReadOnlyList<Hca>> HcasAsync(CancellationToken ct = default)
    {
        var list = new List<Hca>();
        await foreach (var e in Table.QueryAsync<TableEntity>(x => x.PartitionKey == HcaPartition, cancellationToken: ct))
            list.Add(new Hca(e.RowKey, e.GetString("Name"), e.GetString("Phone"), e.GetString("HomeDistrict")));
        return list;
    }

    public async Task<Hca?> FindHcaAsync(string id, CancellationToken ct = default)
    {
        var r = await Table.GetEntityIfExistsAsync<TableEntity>(HcaPartition, id, cancellationToken: ct);
        return r.HasValue ? new Hca(id, r.Value!.GetString("Name"), r.Value.GetString("Phone"), r.Value.GetString("HomeDistrict")) : null;
    }

    public Task UpsertHcaAsync(Hca hca, CancellationToken ct = default) =>
        Table.UpsertEntityAsync(new TableEntity(HcaPartition, hca.Id)
        {
            ["Name"] = hca.Name, ["Phone"] = hca.Phone, ["HomeDistrict"] = hca.HomeDistrict,
        }, TableUpdateMode.Replace, ct);

    public Task SetPatternAsync(IReadOnlyList<IReadOnlyList<string>> groups, CancellationToken ct = default) =>
        Table.UpsertEntityAsync(new TableEntity(PatternPartition, "groups")
        {
            ["Json"] = JsonSerializer.Serialize(groups, Json.Options),
        }, TableUpdateMode.Replace, ct);

    /// <summary>Who is on <paramref name="shift"/>: the coordinator's entry if there is one, else the rota pattern's group.</summary>
    public async Task<ShiftRoster> OnShiftAsync(Shift shift, CancellationToken ct = default)
    {
        var set = await Table.GetEntityIfExistsAsync<TableEntity>(ShiftPartition, shift.Key, cancellationToken: ct);
        if (set.HasValue)
            return new ShiftRoster(shift, set.Value!.GetString("HcaIds").Split(','), FromRota,
                set.Value.GetString("SetBy"), set.Value.GetDateTimeOffset("SetAt"));
        var pattern = await Table.GetEntityIfExistsAsync<TableEntity>(PatternPartition, "groups", cancellationToken: ct);
        var groups = pattern.HasValue ? JsonSerializer.Deserialize<List<List<string>>>(pattern.Value!.GetString("Json"), Json.Options)! : [];
        return new ShiftRoster(shift, groups.Count == 0 ? [] : groups[PatternGroup(shift, groups.Count)], FromPattern, null, null);
    }

    /// <summary>The rota pattern's group for a shift: groups take consecutive shifts in turn from the anchor day shift.</summary>
    public static int PatternGroup(Shift shift, int groups)
    {
        var index = (long)Period.Between(PatternAnchor, shift.Date, PeriodUnits.Days).Days * 2 + (shift.Kind == ShiftKind.Night ? 1 : 0);
        return (int)(((index % groups) + groups) % groups);
    }

    /// <summary>Sets who works a shift. With <paramref name="onlyIfUnset"/> an existing entry is kept (seeding on every start).</summary>
    public async Task SetShiftAsync(Shift shift, IReadOnlyList<string> hcaIds, string setBy, DateTimeOffset at,
        bool onlyIfUnset = false, CancellationToken ct = default)
    {
        var entity = new TableEntity(ShiftPartition, shift.Key)
        {
            ["HcaIds"] = string.Join(',', hcaIds), ["SetBy"] = setBy, ["SetAt"] = at,
        };
        if (!onlyIfUnset)
        {
            await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
            return;
        }
        try { await Table.AddEntityAsync(entity, ct); }
        catch (RequestFailedException e) when (e.IsConflict()) { }
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
