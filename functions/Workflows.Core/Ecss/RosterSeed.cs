using System.Text.Json;
using NodaTime.Text;
using Workflows.Http;

namespace Workflows.Ecss;

/// <summary>
/// seeds/roster.json into the roster: the HCA pool and the rota pattern are replaced on every start; per-shift
/// entries are added only where none exists, so a coordinator's change is never undone by a restart.
/// </summary>
public sealed class RosterSeed(Roster roster, TimeProvider time) : ISeedLoader
{
    private sealed record SeedShift(string Date, string Kind, List<string> HcaIds);
    private sealed record SeedFile(List<Hca> Hcas, List<List<string>> Pattern, List<SeedShift>? Shifts);

    public async Task LoadAsync(string seedsPath, CancellationToken ct)
    {
        var path = Path.Combine(seedsPath, "roster.json");
        if (!File.Exists(path)) return;
        var seed = JsonSerializer.Deserialize<SeedFile>(await File.ReadAllTextAsync(path, ct), Json.Options)!;
        foreach (var hca in seed.Hcas) await roster.UpsertHcaAsync(hca, ct);
        await roster.SetPatternAsync(seed.Pattern, ct);
        foreach (var s in seed.Shifts ?? [])
        {
            var shift = new Shift(LocalDatePattern.Iso.Parse(s.Date).Value,
                Shift.ParseKind(s.Kind) ?? throw new InvalidDataException($"roster.json: shift kind '{s.Kind}' is not day or night."));
            await roster.SetShiftAsync(shift, s.HcaIds, "seed", time.GetUtcNow(), onlyIfUnset: true, ct);
        }
    }
}
