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
    /// Why a volunteer cannot be offered a family today, or null when they can: what their own record says
    /// (<see cref="Volunteer.NotOfferedBecause"/>), an organisation that is no longer active, or a staff record that no
    /// longer holds the volunteer role or has no phone to text.
    /// </summary>
    public static string? NotOfferedBecause(Volunteer v, StaffMember? member, VoluntaryOrganisation? organisation, DateOnly today, int dbsValidMonths) =>
        member is null || !member.Holds(Roles.Volunteer) ? "staff record does not hold the volunteer role"
        : member.Phone is null ? "no phone on the staff record"
        : organisation is not { Active: true } ? "organisation not active"
        : v.NotOfferedBecause(today, dbsValidMonths);

    /// <summary>The volunteers who can be offered a family today, with the staff record each is texted at.</summary>
    public async Task<IReadOnlyList<(Volunteer Volunteer, StaffMember Member)>> OfferableAsync(CancellationToken ct = default)
    {
        var people = (await staff.AllAsync(ct)).ToDictionary(m => m.Id);
        var organisations = (await OrganisationsAsync(ct)).ToDictionary(o => o.Id);
        var today = Today;
        return (await VolunteersAsync(ct))
            .Where(v => NotOfferedBecause(v, people.GetValueOrDefault(v.StaffId), organisations.GetValueOrDefault(v.OrganisationId), today, settings.DbsValidMonths) is null)
            .Select(v => (v, people[v.StaffId]))
            .ToList();
    }
}
