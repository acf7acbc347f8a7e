using System.Text.Json;
using Azure.Data.Tables;
using Workflows.Http;
using Workflows.Staff;
using Workflows.Storage;

namespace Workflows.DistrictDirect;

/// <summary>An acute hospital District Direct officers work in, and the housing authority for its own district.</summary>
public sealed record Hospital(string Id, string Name, string Postcode, string HousingAuthority);

/// <summary>
/// A District Direct officer or manager, as their staff record says: their phone is where approval requests go and the
/// only phone whose replies count; <see cref="LimitPence"/> is their own delegated limit a referral (the scheme's limit
/// applies when lower).
/// </summary>
public sealed record Officer(string Id, string Name, string Role, string Phone, string Hospital, long? LimitPence)
{
    public const string OfficerRole = "officer";
    public const string ManagerRole = "manager";
    public bool IsManager => Role == ManagerRole;

    /// <summary>The officer a staff record makes: one holding dd-manager or dd-officer, with a work phone; else null.</summary>
    public static Officer? From(StaffMember m) =>
        m.Phone is null ? null
        : m.Holds(Roles.DdManager) ? new Officer(m.Id, m.Name, ManagerRole, m.Phone, m.Hospital ?? "", m.LimitPence)
        : m.Holds(Roles.DdOfficer) ? new Officer(m.Id, m.Name, OfficerRole, m.Phone, m.Hospital ?? "", m.LimitPence)
        : null;
}

/// <summary>A local housing authority: the postcode districts it covers and how a duty-to-refer reaches it.</summary>
public sealed record HousingAuthority(string Id, string Name, IReadOnlyList<string> PostcodeDistricts, string ReferralMethod, string ReferralContact);

/// <summary>
/// The hospitals and housing authorities of the scheme, kept in Table Storage (seeded from seeds/), and its officers
/// and managers, who are the staff directory's people holding a District Direct role.
/// </summary>
public sealed class DistrictDirectRegister(TableStore store, StaffDirectory staff)
{
    private const string Hospitals = "hospital", Authorities = "housing-authority";

    private TableClient Table => store.Table(TableNames.DistrictDirectRegister);

    public Task<Hospital?> HospitalAsync(string id, CancellationToken ct = default) => GetAsync<Hospital>(Hospitals, id, ct);
    public Task<IReadOnlyList<Hospital>> HospitalsAsync(CancellationToken ct = default) => AllAsync<Hospital>(Hospitals, ct);
    public async Task<Officer?> OfficerAsync(string id, CancellationToken ct = default) =>
        await staff.FindAsync(id, ct) is { } m ? Officer.From(m) : null;
    public async Task<IReadOnlyList<Officer>> OfficersAsync(CancellationToken ct = default) =>
        (await staff.AllAsync(ct)).Select(Officer.From).OfType<Officer>().ToList();
    public Task<HousingAuthority?> AuthorityAsync(string id, CancellationToken ct = default) => GetAsync<HousingAuthority>(Authorities, id, ct);
    public Task<IReadOnlyList<HousingAuthority>> AuthoritiesAsync(CancellationToken ct = default) => AllAsync<HousingAuthority>(Authorities, ct);

    public async Task<Officer?> OfficerByPhoneAsync(string phone, CancellationToken ct = default) =>
        (await OfficersAsync(ct)).FirstOrDefault(o => o.Phone == phone);

    /// <summary>An officer or manager answering signed in (an approval text's link): with no work phone, their phone is empty.</summary>
    public async Task<Officer?> ApproverAsync(string id, CancellationToken ct = default) =>
        await staff.FindAsync(id, ct) is { } m ? Officer.From(m with { Phone = m.Phone ?? "" }) : null;

    public Task PutAsync(Hospital h, CancellationToken ct = default) => PutAsync(Hospitals, h.Id, h, ct);
    public Task PutAsync(HousingAuthority a, CancellationToken ct = default) => PutAsync(Authorities, a.Id, a, ct);

    private async Task<T?> GetAsync<T>(string kind, string id, CancellationToken ct) where T : class
    {
        if (id.Length == 0 || id.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c))) return null;
        var r = await Table.GetEntityIfExistsAsync<TableEntity>(kind, id, cancellationToken: ct);
        return r.HasValue ? JsonSerializer.Deserialize<T>(r.Value!.GetString("Json"), Json.Options) : null;
    }

    private async Task<IReadOnlyList<T>> AllAsync<T>(string kind, CancellationToken ct)
    {
        var list = new List<T>();
        await foreach (var e in Table.QueryAsync<TableEntity>(x => x.PartitionKey == kind, cancellationToken: ct))
            list.Add(JsonSerializer.Deserialize<T>(e.GetString("Json"), Json.Options)!);
        return list;
    }

    private Task PutAsync<T>(string kind, string id, T value, CancellationToken ct) =>
        Table.UpsertEntityAsync(new TableEntity(kind, id) { ["Json"] = JsonSerializer.Serialize(value, Json.Options) },
            TableUpdateMode.Replace, ct);
}

/// <summary>
/// seeds/fund.json (fund years and hospitals) and seeds/housing-authorities.json (officers and managers are people in
/// seeds/staff.json).
/// Reference data is replaced by id; a fund that already exists is never touched, so a restart cannot give back spent money.
/// A fund year "current" is the financial year the app starts in, so the sample data never runs out of fund.
/// </summary>
public sealed class DistrictDirectSeed(DistrictDirectRegister register, FundLedger ledger, TimeProvider time) : ISeedLoader
{
    public const string CurrentYear = "current";

    private sealed record FundSeed(string Year, long TotalPence);
    private sealed record FundFile(List<FundSeed> Funds, List<Hospital> Hospitals);

    public async Task LoadAsync(string seedsPath, CancellationToken ct)
    {
        var fund = Path.Combine(seedsPath, "fund.json");
        if (File.Exists(fund))
        {
            var file = JsonSerializer.Deserialize<FundFile>(await File.ReadAllTextAsync(fund, ct), Json.Options)!;
            foreach (var f in file.Funds)
                await ledger.OpenFundAsync(f.Year == CurrentYear ? FundYear.Of(time.GetUtcNow()) : f.Year, f.TotalPence, ct);
            foreach (var h in file.Hospitals) await register.PutAsync(h, ct);
        }
        var authorities = Path.Combine(seedsPath, "housing-authorities.json");
        if (File.Exists(authorities))
            foreach (var a in JsonSerializer.Deserialize<List<HousingAuthority>>(await File.ReadAllTextAsync(authorities, ct), Json.Options)!)
                await register.PutAsync(a, ct);
    }
}
