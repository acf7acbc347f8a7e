using Workflows.Audit;

namespace Workflows.Staff;

/// <summary>
/// seeds/staff.json into the staff directory: each person is added if no record has their id, so a restart never
/// undoes an admin's change (a role taken away stays away).
/// </summary>
public sealed class StaffSeed(StaffDirectory directory) : ISeedLoader
{
    public static readonly Actor Seed = new("seed", "seeds/staff.json");

    public async Task LoadAsync(string seedsPath, CancellationToken ct)
    {
        var path = Path.Combine(seedsPath, "staff.json");
        if (!File.Exists(path)) return;
        foreach (var member in StaffForm.ReadSeed(await File.ReadAllTextAsync(path, ct)))
            if (await directory.FindAsync(member.Id, ct) is null)
                await directory.AddIfAbsentAsync(member, Seed, ct);
    }
}
