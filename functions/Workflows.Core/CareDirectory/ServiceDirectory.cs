using System.Text.Json;
using Azure.Data.Tables;
using NodaTime;
using NodaTime.Text;
using Workflows.Http;
using Workflows.Storage;

namespace Workflows.CareDirectory;

/// <summary>
/// A service open now, with how to refer and until when. <see cref="Needs"/> are those an ANP may refer it for (the
/// triage's needs), so the triage form offers exactly the needs a referral can name.
/// </summary>
public sealed record OpenService(string Id, string Name, IReadOnlyList<string> Needs, ReferralRoute Referral, DateTimeOffset? OpenUntil, string? Area);

/// <summary>The services an ANP refers to, kept in Table Storage (seeded from seeds/services.json).</summary>
public sealed class ServiceDirectory(TableStore store)
{
    private const string Partition = "service";

    public async Task<IReadOnlyList<CareService>> AllAsync(CancellationToken ct = default)
    {
        var list = new List<CareService>();
        await foreach (var e in store.Table(TableNames.Services).QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: ct))
            list.Add(JsonSerializer.Deserialize<CareService>(e.GetString("Json"), ServiceJson.Options)!);
        return list;
    }

    public async Task<CareService?> FindAsync(string id, CancellationToken ct = default)
    {
        var r = await store.Table(TableNames.Services).GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: ct);
        return r.HasValue ? JsonSerializer.Deserialize<CareService>(r.Value!.GetString("Json"), ServiceJson.Options) : null;
    }

    public async Task<IReadOnlySet<LocalDate>> BankHolidaysAsync(CancellationToken ct = default)
    {
        var set = new HashSet<LocalDate>();
        await foreach (var e in store.Table(TableNames.BankHolidays).QueryAsync<TableEntity>(cancellationToken: ct))
            set.Add(LocalDatePattern.Iso.Parse(e.RowKey).Value);
        return set;
    }

    /// <summary>Services open at <paramref name="at"/> that meet <paramref name="need"/> (all services when null).</summary>
    public async Task<IReadOnlyList<OpenService>> OpenNowAsync(string? need, DateTimeOffset at, CancellationToken ct = default)
    {
        var holidays = await BankHolidaysAsync(ct);
        var instant = Instant.FromDateTimeOffset(at);
        return (await AllAsync(ct))
            .Where(s => need is null || s.Needs.Contains(need, StringComparer.OrdinalIgnoreCase))
            .Select(s => (s, until: s.OpenUntil(instant, holidays)))
            .Where(x => x.until is not null)
            .OrderBy(x => x.s.AlwaysOpen).ThenBy(x => x.s.Name)
            .Select(x => new OpenService(x.s.Id, x.s.Name, x.s.Needs.Where(CareDirectory.Needs.Known.Contains).ToList(), x.s.Referral,
                x.until == Instant.MaxValue ? null : x.until!.Value.ToDateTimeOffset(), x.s.Area))
            .ToList();
    }

    public async Task UpsertAsync(CareService service, CancellationToken ct = default) =>
        await store.Table(TableNames.Services).UpsertEntityAsync(new TableEntity(Partition, service.Id)
        {
            ["Name"] = service.Name,
            ["Json"] = JsonSerializer.Serialize(service, ServiceJson.Options),
        }, TableUpdateMode.Replace, ct);

    public async Task AddBankHolidayAsync(LocalDate date, string name, CancellationToken ct = default) =>
        await store.Table(TableNames.BankHolidays).UpsertEntityAsync(
            new TableEntity("england-and-wales", LocalDatePattern.Iso.Format(date)) { ["Name"] = name }, TableUpdateMode.Replace, ct);
}

/// <summary>JSON for directory entries (NodaTime days and times as text), for the seed file and the table.</summary>
public static class ServiceJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(Json.Options);
        o.Converters.Add(new LocalTimeConverter());
        return o;
    }

    private sealed class LocalTimeConverter : System.Text.Json.Serialization.JsonConverter<LocalTime>
    {
        public override LocalTime Read(ref Utf8JsonReader reader, Type t, JsonSerializerOptions o) =>
            LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(reader.GetString()!).GetValueOrThrow();

        public override void Write(Utf8JsonWriter writer, LocalTime value, JsonSerializerOptions o) =>
            writer.WriteStringValue(LocalTimePattern.CreateWithInvariantCulture("HH:mm").Format(value));
    }
}
