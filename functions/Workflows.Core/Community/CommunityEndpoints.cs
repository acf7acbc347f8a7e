using Microsoft.AspNetCore.Http;
using Workflows.Audit;
using Workflows.Http;
using Workflows.Staff;
using Workflows.Validation;

namespace Workflows.Community;

/// <summary>
/// The volunteer coordinator's routes (community role): GET /api/community/organisations,
/// PUT /api/community/organisations/{organisationId}, GET /api/community/volunteers,
/// PUT|DELETE /api/community/volunteers/{staffId}. Every change is audited by the register.
/// </summary>
public sealed class CommunityEndpoints(VolunteerRegister register, StaffDirectory staff, CommunitySettings settings)
{
    public async Task<IResult> Organisations(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.Community).Problem is { } denied) return denied;
        var list = await register.OrganisationsAsync(request.HttpContext.RequestAborted);
        return Results.Json(new { organisations = list.OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase).Select(o => o.View()) }, Json.Options);
    }

    /// <summary>PUT /api/community/organisations/{organisationId} <c>{"name","phone"?,"active"}</c>.</summary>
    public async Task<IResult> SaveOrganisation(HttpRequest request, string organisationId)
    {
        var (coordinator, denied) = StaffPrincipal.Require(request, Roles.Community);
        if (denied is not null) return denied;
        if (!RecordIds.IsValid(organisationId)) return RecordIds.Refused("organisationId");
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        if (VolunteerForms.Organisation(f, organisationId) is not { } organisation) return Problems.Validation(f.Errors);
        var write = await register.SaveOrganisationAsync(organisation, Actor.Of(coordinator!), request.HttpContext.RequestAborted);
        return RecordWrites.Answer(write, organisation.View(), "organisation");
    }

    /// <summary>Every volunteer, with their name and whether they can be offered a family today (and if not, why).</summary>
    public async Task<IResult> Volunteers(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.Community).Problem is { } denied) return denied;
        var ct = request.HttpContext.RequestAborted;
        var people = (await staff.AllAsync(ct)).ToDictionary(m => m.Id);
        var organisations = (await register.OrganisationsAsync(ct)).ToDictionary(o => o.Id);
        var today = register.Today;
        return Results.Json(new
        {
            today,
            dbsValidMonths = settings.DbsValidMonths,
            volunteers = (await register.VolunteersAsync(ct)).OrderBy(v => v.StaffId, StringComparer.Ordinal).Select(v =>
            {
                var member = people.GetValueOrDefault(v.StaffId);
                var why = VolunteerRegister.NotOfferedBecause(v, member, organisations.GetValueOrDefault(v.OrganisationId), today, settings.DbsValidMonths);
                return new { volunteer = v.View(settings.DbsValidMonths), name = member?.Name, canBeOffered = why is null, notOfferedBecause = why };
            }),
            // People given the volunteer role by an admin whom the coordinator has not yet recorded.
            notYetRecorded = await NotYetRecordedAsync(people.Values, ct),
        }, Json.Options);
    }

    private async Task<IEnumerable<object>> NotYetRecordedAsync(IEnumerable<StaffMember> people, CancellationToken ct)
    {
        var recorded = (await register.VolunteersAsync(ct)).Select(v => v.StaffId).ToHashSet();
        return people.Where(m => m.Holds(Roles.Volunteer) && !recorded.Contains(m.Id)).OrderBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => new { staffId = m.Id, name = m.Name });
    }

    /// <summary>PUT /api/community/volunteers/{staffId}: the person's staff record must hold the volunteer role.</summary>
    public async Task<IResult> SaveVolunteer(HttpRequest request, string staffId)
    {
        var (coordinator, denied) = StaffPrincipal.Require(request, Roles.Community);
        if (denied is not null) return denied;
        if (!StaffIds.IsStaffId(staffId)) return StaffIds.NotAStaffId();
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var ct = request.HttpContext.RequestAborted;
        var f = new FieldReader(body);
        var organisations = (await register.OrganisationsAsync(ct)).Select(o => o.Id).ToList();
        if (VolunteerForms.Volunteer(f, staffId, register.Today, organisations) is not { } volunteer) return Problems.Validation(f.Errors);
        if (await staff.FindAsync(staffId, ct) is not { } member)
            return Problems.NotFound($"There is no staff record {staffId}: an admin adds the volunteer (name, work phone, sign-in) first.");
        if (!member.Holds(Roles.Volunteer))
            return Problems.Conflict("Not a volunteer", $"{member.Name}'s staff record does not hold the volunteer role: an admin gives them the role first.");
        var write = await register.SaveVolunteerAsync(volunteer, Actor.Of(coordinator!), ct);
        return RecordWrites.Answer(write, volunteer.View(settings.DbsValidMonths), "volunteer");
    }

    /// <summary>DELETE /api/community/volunteers/{staffId}: offered no family from now on; the staff record is the admin's.</summary>
    public async Task<IResult> RemoveVolunteer(HttpRequest request, string staffId)
    {
        var (coordinator, denied) = StaffPrincipal.Require(request, Roles.Community);
        if (denied is not null) return denied;
        if (!StaffIds.IsStaffId(staffId)) return StaffIds.NotAStaffId();
        return await register.RemoveVolunteerAsync(staffId, Actor.Of(coordinator!), request.HttpContext.RequestAborted)
            ? Results.NoContent()
            : Problems.NotFound($"{staffId} is not recorded as a volunteer.");
    }
}
