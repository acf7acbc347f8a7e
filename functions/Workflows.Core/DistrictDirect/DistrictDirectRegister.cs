using Workflows.Audit;
using Workflows.Http;
using Workflows.Staff;
using Workflows.Storage;
using Workflows.Validation;

namespace Workflows.DistrictDirect;

/// <summary>An acute hospital District Direct officers work in, and the housing authority for its own district.</summary>
public sealed record Hospital(string Id, string Name, string Postcode, string HousingAuthority)
{
    /// <summary>What the admin routes and the audit trail show of a hospital.</summary>
    public object View() => new { hospitalId = Id, name = Name, postcode = Postcode, housingAuthority = HousingAuthority };
}

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
public sealed record HousingAuthority(string Id, string Name, IReadOnlyList<string> PostcodeDistricts, string ReferralMethod, string ReferralContact)
{
    /// <summary>What the admin routes and the audit trail show of a housing authority.</summary>
    public object View() => new { authorityId = Id, name = Name, postcodeDistricts = PostcodeDistricts, referralMethod = ReferralMethod, referralContact = ReferralContact };
}

/// <summary>
/// The hospitals and housing authorities of the scheme, kept in Table Storage and changed only here (admins through the
/// admin routes, a new deployment's one-off import), every change audited (<c>hospital:{id}</c>,
/// <c>housing-authority:{id}</c>); and its officers and managers, who are the staff directory's people holding a
/// District Direct role.
/// </summary>
public sealed class DistrictDirectRegister(TableStore store, StaffDirectory staff, AuditTrail audit)
{
    private readonly AuditedRecords<Hospital> _hospitals =
        new(() => store.Table(TableNames.DistrictDirectRegister), "hospital", "hospital", audit, Json.Options, h => h.View());

    private readonly AuditedRecords<HousingAuthority> _authorities =
        new(() => store.Table(TableNames.DistrictDirectRegister), "housing-authority", "housing-authority", audit, Json.Options, a => a.View());

    public Task<Hospital?> HospitalAsync(string id, CancellationToken ct = default) =>
        RecordIds.IsValid(id) ? _hospitals.FindAsync(id, ct) : Task.FromResult<Hospital?>(null);
    public Task<IReadOnlyList<Hospital>> HospitalsAsync(CancellationToken ct = default) => _hospitals.AllAsync(ct);
    public async Task<Officer?> OfficerAsync(string id, CancellationToken ct = default) =>
        await staff.FindAsync(id, ct) is { } m ? Officer.From(m) : null;
    public async Task<IReadOnlyList<Officer>> OfficersAsync(CancellationToken ct = default) =>
        (await staff.AllAsync(ct)).Select(Officer.From).OfType<Officer>().ToList();
    public Task<HousingAuthority?> AuthorityAsync(string id, CancellationToken ct = default) =>
        RecordIds.IsValid(id) ? _authorities.FindAsync(id, ct) : Task.FromResult<HousingAuthority?>(null);
    public Task<IReadOnlyList<HousingAuthority>> AuthoritiesAsync(CancellationToken ct = default) => _authorities.AllAsync(ct);

    public async Task<Officer?> OfficerByPhoneAsync(string phone, CancellationToken ct = default) =>
        (await OfficersAsync(ct)).FirstOrDefault(o => o.Phone == phone);

    /// <summary>An officer or manager answering signed in (an approval text's link): with no work phone, their phone is empty.</summary>
    public async Task<Officer?> ApproverAsync(string id, CancellationToken ct = default) =>
        await staff.FindAsync(id, ct) is { } m ? Officer.From(m with { Phone = m.Phone ?? "" }) : null;

    public Task<RecordWrite> SaveAsync(Hospital h, Actor by, CancellationToken ct = default) => _hospitals.SaveAsync(h.Id, h, by, ct);
    public Task<RecordWrite> SaveAsync(HousingAuthority a, Actor by, CancellationToken ct = default) => _authorities.SaveAsync(a.Id, a, by, ct);

    /// <summary>Adds the hospital unless it is there or ever was (an import, the local seeds).</summary>
    public Task<RecordWrite> AddIfAbsentAsync(Hospital h, Actor by, CancellationToken ct = default) => _hospitals.AddIfAbsentAsync(h.Id, h, by, ct);
    public Task<RecordWrite> AddIfAbsentAsync(HousingAuthority a, Actor by, CancellationToken ct = default) => _authorities.AddIfAbsentAsync(a.Id, a, by, ct);
}
