using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using Workflows.Audit;
using Workflows.CareDirectory;
using Workflows.DistrictDirect;
using Workflows.Ecss;
using Workflows.Http;
using Workflows.Staff;
using Workflows.Validation;

namespace Workflows.ReferenceData;

/// <summary>
/// The reference data of a deployment in the seed files' shapes (seeds/README.md): staff, the ECSS pool and rota
/// pattern, the service directory and bank holidays, District Direct hospitals, housing authorities and fund years.
/// Each file is checked as the admin routes check one record, every problem named by its file and path
/// ("services.json[3].hours[0].opens"), and nothing is written unless every file is valid. Then each record is added
/// only if it is absent and was never removed (its audit trail is empty), so an import run twice adds nothing, and
/// never undoes or brings back what an admin changed. Every record added is audited as its owner audits any change.
/// The local host loads seeds/ this way at every start; a new deployment imports its own files once, as an admin
/// (POST /api/admin/import, docs/deploy.md).
/// </summary>
public sealed class ReferenceDataImport(
    StaffDirectory staff, Roster roster, EcssSettings ecss, ServiceDirectory directory, DistrictDirectRegister register, FundLedger ledger,
    TimeProvider time, ILogger<ReferenceDataImport> log)
{
    public const string StaffFile = "staff.json", RosterFile = "roster.json", ServicesFile = "services.json", HolidaysFile = "bank-holidays.json",
        FundFile = "fund.json", AuthoritiesFile = "housing-authorities.json";

    public static readonly string[] Files = [StaffFile, RosterFile, ServicesFile, HolidaysFile, FundFile, AuthoritiesFile];

    /// <summary>Who added what the local host's seeds/ folder holds.</summary>
    public static readonly Actor Seeds = new("seed", "the sample data (seeds/)");

    /// <summary>In fund.json, the financial year the import runs in (so the local sample never runs out of fund).</summary>
    public const string CurrentYear = "current";

    /// <summary>The largest import the route takes: a county's staff, directory and register fit many times over.</summary>
    public const int MaxBytes = 1024 * 1024;

    private const int MaxRecords = 2000;

    /// <summary>What a valid set of files holds, ready to add.</summary>
    public sealed record Plan(
        IReadOnlyList<StaffMember> Staff, IReadOnlyList<PoolPlace> Pool, IReadOnlyList<IReadOnlyList<string>>? Pattern,
        IReadOnlyList<(Shift Shift, IReadOnlyList<string> HcaIds)> Shifts, IReadOnlyList<CareService> Services, IReadOnlyList<BankHoliday> BankHolidays,
        IReadOnlyList<Hospital> Hospitals, IReadOnlyList<HousingAuthority> HousingAuthorities, IReadOnlyList<(string Year, long TotalPence)> FundYears);

    /// <summary>How many records of each kind were added, and how many were there already (or had been removed) and kept.</summary>
    public sealed record Result(IReadOnlyDictionary<string, int> Added, IReadOnlyDictionary<string, int> Kept);

    /// <summary>
    /// Reads and checks <c>{"staff.json": [...], "roster.json": {...}, ...}</c> (any of <see cref="Files"/>); null with the
    /// problems in <paramref name="f"/> when anything is wrong.
    /// </summary>
    public async Task<Plan?> ReadAsync(FieldReader f, CancellationToken ct = default)
    {
        if (!Files.Any(f.Has)) f.Fail("", $"Send at least one of the seed files, each under its name: {string.Join(", ", Files)}.");

        // An authority that is there already is kept as it is; a new one may not take a district another one covers.
        var existingAuthorities = await register.AuthoritiesAsync(ct);
        var authorities = new List<HousingAuthority>();
        foreach (var a in f.Objects(AuthoritiesFile, maxItems: MaxRecords))
            if (Id(a) is { } id && RegisterForms.HousingAuthority(a, id) is { } authority)
            {
                if (authorities.Any(x => x.Id == id)) a.Fail("id", "Listed twice.");
                else if (existingAuthorities.All(e => e.Id != id))
                    foreach (var (index, district, holder) in RegisterForms.Clashes(authority, existingAuthorities.Concat(authorities)))
                        a.Fail($"postcodeDistricts[{index}]", $"{district} is covered by {holder.Id} as well: a district belongs to one authority.");
                authorities.Add(authority);
            }
        var authorityIds = existingAuthorities.Select(a => a.Id).Union(authorities.Select(a => a.Id)).ToList();

        var hospitals = new List<Hospital>();
        var funds = new List<(string, long)>();
        if (f.Object(FundFile, required: false) is { } fund)
        {
            foreach (var h in fund.Objects("hospitals", maxItems: MaxRecords))
                if (Id(h) is { } id && RegisterForms.Hospital(h, id, authorityIds) is { } hospital)
                    hospitals.Add(hospital);
            foreach (var y in fund.Objects("funds", maxItems: 20))
            {
                var year = y.String("year", maxLength: 7);
                if (year is not null && year != CurrentYear && !FundYear.IsValid(year))
                    y.Fail("year", $"Must be a financial year such as 2026-27, or \"{CurrentYear}\" for the year the import runs in.");
                var total = y.Integer("totalPence", min: 0, max: FundLedger.MaxTotalPence);
                if (year is not null && total is not null)
                    funds.Add((year == CurrentYear ? DistrictDirect.FundYear.Of(time.GetUtcNow()) : year, total.Value));
            }
        }
        var hospitalIds = (await register.HospitalsAsync(ct)).Select(h => h.Id).Union(hospitals.Select(h => h.Id)).ToList();

        var people = new List<StaffMember>();
        foreach (var s in f.Objects(StaffFile, maxItems: MaxRecords))
            if (StaffForm.ReadListed(s, hospitalIds) is { } member)
            {
                if (people.Any(p => p.Id == member.Id)) s.Fail("id", "Listed twice.");
                else if (await staff.FindAsync(member.Id, ct) is null)
                    for (var i = 0; i < member.Identities.Count; i++)
                    {
                        // A sign-in belongs to one person: a new record may not take one already linked.
                        var holder = people.FirstOrDefault(p => p.Identities.Contains(member.Identities[i]))?.Id
                            ?? (await staff.FindByIdentityAsync(member.Identities[i], ct))?.Id;
                        if (holder is not null) s.Fail($"identities[{i}]", $"Linked to {holder}: one sign-in belongs to one person.");
                    }
                people.Add(member);
            }

        var (pool, pattern, shifts) = await ReadRosterAsync(f, people, ct);

        var services = new List<CareService>();
        foreach (var s in f.Objects(ServicesFile, maxItems: MaxRecords))
            if (Id(s) is { } id && CareServiceForm.Read(s, id) is { } service)
            {
                if (services.Any(x => x.Id == id)) s.Fail("id", "Listed twice.");
                services.Add(service);
            }
        var holidays = CareServiceForm.BankHolidays(f, HolidaysFile, year: null, maxItems: 400);

        return f.IsValid ? new Plan(people, pool, pattern, shifts, services, holidays, hospitals, authorities, funds) : null;
    }

    private async Task<(List<PoolPlace>, IReadOnlyList<IReadOnlyList<string>>?, List<(Shift, IReadOnlyList<string>)>)> ReadRosterAsync(
        FieldReader f, IReadOnlyList<StaffMember> people, CancellationToken ct)
    {
        var pool = new List<PoolPlace>();
        var shifts = new List<(Shift, IReadOnlyList<string>)>();
        if (f.Object(RosterFile, required: false) is not { } r) return (pool, null, shifts);

        // A place, pattern or shift the import will keep (there already, or removed by an admin) is checked for its form
        // only: what an admin has changed since (a role taken away, an HCA out of the pool) must not stop a restart.
        // Whoever is kept is as their stored record says; only people new to this deployment are as the file says.
        var stored = (await staff.AllAsync(ct)).ToDictionary(m => m.Id);
        bool IsHca(string id) => (stored.GetValueOrDefault(id) ?? people.FirstOrDefault(p => p.Id == id))?.Holds(Roles.Hca) == true;
        foreach (var h in r.Objects("hcas", maxItems: MaxRecords))
        {
            var id = h.String("staffId", maxLength: StaffIds.MaxLength);
            if (id is not null && !StaffIds.IsStaffId(id)) h.Fail("staffId", StaffIds.StaffIdRule);
            else if (id is not null && !IsHca(id) && !await roster.WasEverInPoolAsync(id, ct))
                h.Fail("staffId", $"{id} is not a staff record holding the hca role: add them to staff.json first.");
            if (EcssPoolForm.HomeDistrict(h) is { } district && id is not null) pool.Add(new PoolPlace(id, district));
        }
        var inPool = (await roster.PoolAsync(ct)).Select(p => p.StaffId).Union(pool.Select(p => p.StaffId)).ToHashSet();
        var pattern = r.Has("pattern") ? EcssPoolForm.Groups(r, "pattern", await roster.HadPatternAsync(ct) ? null : inPool, ecss.Team) : null;
        foreach (var s in r.Objects("shifts", maxItems: 400))
        {
            var date = s.Date("date");
            var kind = Shift.ParseKind(s.OneOf("kind", ["day", "night"]));
            var ids = s.Value("hcaIds") is { } group ? EcssPoolForm.Group(s, "hcaIds", group) : [];
            if (date is not { } d || kind is not { } k || ids.Count != 3) continue;
            var shift = new Shift(LocalDate.FromDateOnly(d), k);
            if (!await roster.IsShiftSetAsync(shift, ct))
                foreach (var id in ids.Where(id => !inPool.Contains(id))) s.Fail("hcaIds", $"{id} is not an HCA in the {ecss.Team} pool.");
            shifts.Add((shift, ids));
        }
        return (pool, pattern, shifts);
    }

    private static string? Id(FieldReader f)
    {
        var id = f.String("id", maxLength: RecordIds.MaxLength);
        if (id is null || RecordIds.IsValid(id)) return id;
        f.Fail("id", RecordIds.Rule);
        return null;
    }

    /// <summary>Adds what is absent, in an order where everything a record names is there before it.</summary>
    public async Task<Result> ApplyAsync(Plan plan, Actor by, CancellationToken ct = default)
    {
        var added = new Dictionary<string, int>();
        var kept = new Dictionary<string, int>();
        void Count(string kind, bool wasAdded)
        {
            var counts = wasAdded ? added : kept;
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }
        static bool Added(RecordWrite w) => w is RecordWrite.Created or RecordWrite.Changed;

        foreach (var a in plan.HousingAuthorities) Count("housingAuthorities", Added(await register.AddIfAbsentAsync(a, by, ct)));
        foreach (var h in plan.Hospitals) Count("hospitals", Added(await register.AddIfAbsentAsync(h, by, ct)));
        foreach (var m in plan.Staff)
            Count("staff", (await staff.AddIfAbsentAsync(m, by, ct)).Outcome == SaveOutcome.Created);

        foreach (var place in plan.Pool) Count("pool", await roster.PutInPoolIfNeverAsync(place, by, ct));
        if (plan.Pattern is { } groups) Count("rotaPattern", await roster.SetPatternIfNeverAsync(groups, by, ct));
        foreach (var (shift, ids) in plan.Shifts) Count("shifts", await roster.SetShiftAsync(shift, ids, by.Name, time.GetUtcNow(), onlyIfUnset: true, ct));

        foreach (var s in plan.Services) Count("services", Added(await directory.AddIfAbsentAsync(s, by, ct)));
        foreach (var year in plan.BankHolidays.GroupBy(h => h.Date.Year))
        {
            var write = await directory.SetBankHolidaysAsync(year.Key, year.ToList(), by, onlyIfUnset: true, ct);
            foreach (var _ in year) Count("bankHolidays", Added(write));
        }
        foreach (var (year, total) in plan.FundYears)
            Count("fundYears", (await ledger.SetTotalAsync(year, total, by, onlyIfAbsent: true, ct)).Change == FundTotalChange.Opened);

        log.LogInformation("Reference data imported by {By}: added {Added}; kept {Kept}", by.Id,
            string.Join(", ", added.Select(a => $"{a.Key} {a.Value}")), string.Join(", ", kept.Select(k => $"{k.Key} {k.Value}")));
        return new Result(added, kept);
    }

    /// <summary>
    /// The seeds folder at <paramref name="folder"/> (the local host at start): the files it has, checked and added as
    /// an import is. A file that is not valid stops the start, naming every problem.
    /// </summary>
    public async Task<Result?> LoadFolderAsync(string folder, Actor by, CancellationToken ct = default)
    {
        if (!Directory.Exists(folder)) return null;
        var files = new Dictionary<string, JsonElement>();
        foreach (var name in Files.Where(n => File.Exists(Path.Combine(folder, n))))
            files[name] = JsonSerializer.Deserialize<JsonElement>(await File.ReadAllTextAsync(Path.Combine(folder, name), ct));
        if (files.Count == 0) return null;
        var f = new FieldReader(JsonSerializer.SerializeToElement(files));
        if (await ReadAsync(f, ct) is not { } plan)
            throw new InvalidDataException($"{folder}: " + string.Join("; ", f.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        return await ApplyAsync(plan, by, ct);
    }
}
