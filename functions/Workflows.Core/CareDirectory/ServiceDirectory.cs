using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NodaTime;
using NodaTime.Text;
using Workflows.Audit;
using Workflows.Http;
using Workflows.Storage;

namespace Workflows.CareDirectory;

/// <summary>
/// A service open now, with how to refer and until when. <see cref="Needs"/> are those an ANP may refer it for (the
/// triage's needs), so the triage form offers exactly the needs a referral can name.
/// </summary>
public sealed record OpenService(string Id, string Name, IReadOnlyList<string> Needs, ReferralRoute Referral, DateTimeOffset? OpenUntil, string? Area);

/// <summary>A bank holiday in England and Wales, when services that close on them are closed.</summary>
public sealed record BankHoliday(LocalDate Date, string Name)
{
    public object View() => new { date = LocalDatePattern.Iso.Format(Date), name = Name };
}

/// <summary>
/// The services an ANP refers to and the bank holidays they keep, in Table Storage. The only writer of both: admins
/// change them through the admin routes, a new deployment imports them once (ReferenceData), and every change is
/// audited (<c>care-service:{id}</c>, <c>bank-holidays:{year}</c>).
/// </summary>
public sealed class ServiceDirectory(TableStore store, AuditTrail audit)
{
    private const string HolidayPartition = "england-and-wales";

    private readonly AuditedRecords<CareService> _services =
        new(() => store.Table(TableNames.Services), "service", "care-service", audit, ServiceJson.Options, s => s.View());

    private TableClient Holidays => store.Table(TableNames.BankHolidays);

    public static string HolidaysEntity(int year) => $"bank-holidays:{year}";

    public Task<IReadOnlyList<CareService>> AllAsync(CancellationToken ct = default) => _services.AllAsync(ct);

    /// <summary>The bereavement service to offer a family: one they can contact themselves first, then by name.</summary>
    public async Task<CareService?> BereavementSupportAsync(CancellationToken ct = default) =>
        (await AllAsync(ct)).Where(s => s.Needs.Contains("bereavement"))
            .OrderBy(s => s.Referral.Method == "self-referral" ? 0 : 1).ThenBy(s => s.Name).FirstOrDefault();

    public Task<CareService?> FindAsync(string id, CancellationToken ct = default) =>
        Validation.RecordIds.IsValid(id) ? _services.FindAsync(id, ct) : Task.FromResult<CareService?>(null);

    public async Task<IReadOnlySet<LocalDate>> BankHolidaysAsync(CancellationToken ct = default)
    {
        var set = new HashSet<LocalDate>();
        await foreach (var e in Holidays.QueryAsync<TableEntity>(select: ["RowKey"], cancellationToken: ct))
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

    public Task<RecordWrite> SaveAsync(CareService service, Actor by, CancellationToken ct = default) => _services.SaveAsync(service.Id, service, by, ct);

    /// <summary>Adds the service unless it is there or an admin removed it (an import, the local seeds).</summary>
    public Task<RecordWrite> AddIfAbsentAsync(CareService service, Actor by, CancellationToken ct = default) =>
        _services.AddIfAbsentAsync(service.Id, service, by, ct);

    /// <summary>
    /// Takes a service out of the directory: it is offered for no new referral. Cases already referred keep the route
    /// they were given (the case holds it).
    /// </summary>
    public Task<bool> RemoveAsync(string id, Actor by, CancellationToken ct = default) => _services.RemoveAsync(id, by, ct);

    /// <summary>The bank holidays of one calendar year, in date order.</summary>
    public async Task<IReadOnlyList<BankHoliday>> BankHolidaysAsync(int year, CancellationToken ct = default)
    {
        var list = new List<BankHoliday>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {HolidayPartition} and RowKey ge {$"{year}-"} and RowKey lt {$"{year + 1}-"}");
        await foreach (var e in Holidays.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            list.Add(new BankHoliday(LocalDatePattern.Iso.Parse(e.RowKey).Value, e.GetString("Name")));
        return list.OrderBy(h => h.Date).ToList();
    }

    /// <summary>
    /// Makes <paramref name="holidays"/> (all in <paramref name="year"/>) the year's bank holidays, in one transaction.
    /// With <paramref name="onlyIfUnset"/> a year that has holidays, or ever had, is left alone.
    /// </summary>
    public async Task<RecordWrite> SetBankHolidaysAsync(int year, IReadOnlyList<BankHoliday> holidays, Actor by, bool onlyIfUnset = false,
        CancellationToken ct = default)
    {
        if (holidays.Any(h => h.Date.Year != year)) throw new ArgumentException($"Every holiday must fall in {year}.", nameof(holidays));
        var next = holidays.OrderBy(h => h.Date).ToList();
        var before = await BankHolidaysAsync(year, ct);
        if (onlyIfUnset && (before.Count > 0 || await audit.HasHistoryAsync(HolidaysEntity(year), ct))) return RecordWrite.Kept;
        if (before.SequenceEqual(next)) return RecordWrite.Unchanged;
        var actions = before.Where(b => next.All(n => n.Date != b.Date))
            .Select(b => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(HolidayPartition, Key(b.Date)), ETag.All))
            .Concat(next.Where(n => !before.Contains(n)).Select(n => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(HolidayPartition, Key(n.Date)) { ["Name"] = n.Name })))
            .ToList();
        await audit.RecordAsync(HolidaysEntity(year), before.Count == 0 ? "created" : "changed", by,
            before.Count == 0 ? null : new { year, holidays = before.Select(h => h.View()) }, new { year, holidays = next.Select(h => h.View()) },
            async () =>
            {
                await Holidays.SubmitTransactionAsync(actions, ct);
                return true;
            }, ct);
        return before.Count == 0 ? RecordWrite.Created : RecordWrite.Changed;
    }

    private static string Key(LocalDate date) => LocalDatePattern.Iso.Format(date);
}

/// <summary>JSON for directory entries (NodaTime days and times as text), for the seed file and the table.</summary>
public static class ServiceJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static readonly LocalTimePattern HoursAndMinutes = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    /// <summary>A time as the directory writes it: "08:00".</summary>
    public static string Time(LocalTime t) => HoursAndMinutes.Format(t);

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(Json.Options);
        o.Converters.Add(new LocalTimeConverter());
        return o;
    }

    private sealed class LocalTimeConverter : System.Text.Json.Serialization.JsonConverter<LocalTime>
    {
        public override LocalTime Read(ref Utf8JsonReader reader, Type t, JsonSerializerOptions o) =>
            HoursAndMinutes.Parse(reader.GetString()!).GetValueOrThrow();

        public override void Write(Utf8JsonWriter writer, LocalTime value, JsonSerializerOptions o) => writer.WriteStringValue(Time(value));
    }
}
