using System.Text.Json;
using NodaTime.Text;
using Workflows.Audit;
using Workflows.Http;

namespace Workflows.Ecss;

/// <summary>
/// seeds/roster.json into the roster: the HCA pool (staff ids and home districts; the people are in seeds/staff.json),
/// the rota pattern and per-shift entries, each added only where there is none, so an admin's or a coordinator's
/// change is never undone by a restart.
/// </summary>
public sealed class RosterSeed(Roster roster, TimeProvider time) : ISeedLoader
{
    private static readonly Actor Seed = new("seed", "seeds/roster.json");

    private sealed record SeedShift(string Date, string Kind, List<string> HcaIds);
    private sealed record SeedFile(List<PoolPlace> Hcas, List<List<string>> Pattern, List<SeedShift>? Shifts);

    public async Task LoadAsync(string seedsPath, CancellationToken ct)
    {
        var path = Path.Combine(seedsPath, "roster.json");
        if (!File.Exists(path)) return;
        var seed = JsonSerializer.Deserialize<SeedFile>(await File.ReadAllTextAsync(path, ct), Json.Options)!;
        var pool = (await roster.PoolAsync(ct)).Select(p => p.StaffId).ToHashSet();
        foreach (var place in seed.Hcas.Where(h => !pool.Contains(h.StaffId))) await roster.PutInPoolAsync(place, Seed, ct);
        if ((await roster.PatternAsync(ct)).Count == 0) await roster.SetPatternAsync(seed.Pattern, Seed, ct);
        foreach (var s in seed.Shifts ?? [])
        {
            var shift = new Shift(LocalDatePattern.Iso.Parse(s.Date).Value,
                Shift.ParseKind(s.Kind) ?? throw new InvalidDataException($"roster.json: shift kind '{s.Kind}' is not day or night."));
            await roster.SetShiftAsync(shift, s.HcaIds, "seed", time.GetUtcNow(), onlyIfUnset: true, ct);
        }
    }
}
