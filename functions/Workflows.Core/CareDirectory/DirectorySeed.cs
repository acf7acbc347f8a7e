using System.Text.Json;
using NodaTime.Text;

namespace Workflows.CareDirectory;

/// <summary>seeds/services.json and seeds/bank-holidays.json into the directory tables (replacing entries by id).</summary>
public sealed class DirectorySeed(ServiceDirectory directory) : ISeedLoader
{
    private sealed record Holiday(string Date, string Name);

    public async Task LoadAsync(string seedsPath, CancellationToken ct)
    {
        var services = Path.Combine(seedsPath, "services.json");
        if (File.Exists(services))
            foreach (var s in JsonSerializer.Deserialize<List<CareService>>(await File.ReadAllTextAsync(services, ct), ServiceJson.Options)!)
                await directory.UpsertAsync(s, ct);
        var holidays = Path.Combine(seedsPath, "bank-holidays.json");
        if (File.Exists(holidays))
            foreach (var h in JsonSerializer.Deserialize<List<Holiday>>(await File.ReadAllTextAsync(holidays, ct), ServiceJson.Options)!)
                await directory.AddBankHolidayAsync(LocalDatePattern.Iso.Parse(h.Date).Value, h.Name, ct);
    }
}
