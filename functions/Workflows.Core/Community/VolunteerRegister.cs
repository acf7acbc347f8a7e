using Workflows.Audit;
using Workflows.Http;
using Workflows.Staff;
using Workflows.Storage;

namespace Workflows.Community;

/// <summary>
/// The voluntary organisations and their volunteers (table CommunityRegister, a partition each), the one owner of both:
/// every change audited (<c>voluntary-organisation:{id}</c>, <c>volunteer:{staffId}</c>).
/// </summary>
public sealed class VolunteerRegister(TableStore store, AuditTrail audit, StaffDirectory staff, CommunitySettings settings, TimeProvider time)
{
    private readonly AuditedRecords<VoluntaryOrganisation> _organisations =
        new(() => store.Table(TableNames.CommunityRegister), "organisation", "voluntary-organisation", audit, Json.Options, o => o.View());

    private readonly AuditedRecords<Volunteer> _volunteers =
        new(() => store.Table(TableNames.CommunityRegister), "volunteer", "volunteer", audit, Json.Options,
            v => v.View(settings.DbsValidMonths));

    public DateOnly Today => VolunteerForms.UkToday(time);

    public Task<IReadOnlyList<VoluntaryOrganisation>> OrganisationsAsync(CancellationToken ct = default) => _organisations.AllAsync(ct);

    public Task<RecordWrite> SaveOrganisationAsync(VoluntaryOrganisation o, Actor by, CancellationToken ct = default) => _organisations.SaveAsync(o.Id, o, by, ct);

    public Task<IReadOnlyList<Volunteer>> VolunteersAsync(CancellationToken ct = default) => _volunteers.AllAsync(ct);

    public Task<Volunteer?> FindVolunteerAsync(string staffId, CancellationToken ct = default) => _volunteers.FindAsync(staffId, ct);

    public Task<RecordWrite> SaveVolunteerAsync(Volunteer v, Actor by, CancellationToken ct = default) => _volunteers.SaveAsync(v.StaffId, v, by, ct);

    public Task<bool> RemoveVolunteerAsync(string staffId, Actor by, CancellationToken ct = default) => _volunteers.RemoveAsync(staffId, by, ct);

    /// <summary>
    /// Why a volunteer may not volunteer on <paramref name="day"/>, or null: a staff record that no longer holds the
    /// volunteer role or has no phone to text, an organisation no longer active, or what their own record says
    /// (<see cref="Volunteer.NotActiveBecause"/>: training, DBS check).
    /// </summary>
    public static string? NotActiveBecause(Volunteer v, StaffMember? member, VoluntaryOrganisation? organisation, DateOnly day, int dbsValidMonths) =>
        member is null || !member.Holds(Roles.Volunteer) ? "staff record does not hold the volunteer role"
        : member.Phone is null ? "no phone on the staff record"
        : organisation is not { Active: true } ? "organisation not active"
        : v.NotActiveBecause(day, dbsValidMonths);

    /// <summary>Why a volunteer cannot be offered a family today, or null when they can: active, and taking new families.</summary>
    public static string? NotOfferedBecause(Volunteer v, StaffMember? member, VoluntaryOrganisation? organisation, DateOnly today, int dbsValidMonths) =>
        NotActiveBecause(v, member, organisation, today, dbsValidMonths) ?? (v.TakingNewFamilies ? null : "not taking new families");

    /// <summary>
    /// The pilot report's measure of a compassionate community (seed 003): volunteers who may volunteer on
    /// <paramref name="day"/>, and the active organisations with at least one of them. The register keeps no history: a
    /// volunteer removed since is not counted.
    /// </summary>
    public async Task<(int Volunteers, int Organisations)> ActiveOnAsync(DateOnly day, CancellationToken ct = default)
    {
        var people = (await staff.AllAsync(ct)).ToDictionary(m => m.Id);
        var organisations = (await OrganisationsAsync(ct)).ToDictionary(o => o.Id);
        var active = (await VolunteersAsync(ct))
            .Where(v => NotActiveBecause(v, people.GetValueOrDefault(v.StaffId), organisations.GetValueOrDefault(v.OrganisationId), day, settings.DbsValidMonths) is null)
            .ToList();
        return (active.Count, active.Select(v => v.OrganisationId).Distinct().Count());
    }
}
