using System.Net;
using Workflows.Http;

namespace Workflows.Tests.Community;

/// <summary>The pilot report counts the volunteers who may volunteer on the period's last day, and their organisations.</summary>
public sealed class ActiveVolunteersReportTests
{
    // Far from any other test's volunteers: their DBS checks (dated years before) count on none of these days.
    private static readonly DateTimeOffset Now = new(2041, 6, 15, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ActiveVolunteersAreTrainedWithADbsCheckThatCountedOnThePeriodsLastDayInAnActiveOrganisation()
    {
        await using var host = await TestHost.StartAsync(clock: new ShiftedClock(Now));
        async Task Organisation(string id, bool active) =>
            (await host.SendAsStaffAsync(HttpMethod.Put, $"/api/community/organisations/{id}", Roles.Community, new { name = id, active }))
                .StatusCode.Should().Be(HttpStatusCode.Created);
        async Task Volunteer(string organisation, string? trained, string dbs, bool taking = true)
        {
            var id = $"vol-{Guid.NewGuid():N}"[..20];
            await StaffRecords.EnsureAsync(host.Services.GetRequiredService<Workflows.Staff.StaffDirectory>(), id, Roles.Volunteer, "Owen Pryce", "+447700900724");
            (await host.SendAsStaffAsync(HttpMethod.Put, $"/api/community/volunteers/{id}", Roles.Community, new
            {
                organisationId = organisation, offers = new[] { "comfort-calls" }, homeDistrict = "S40", days = new[] { "wed" },
                takingNewFamilies = taking, trainingCompletedOn = trained, dbsCheckedOn = dbs,
            })).StatusCode.Should().Be(HttpStatusCode.Created);
        }
        var (open, closed) = ($"org-{Guid.NewGuid():N}"[..16], $"org-{Guid.NewGuid():N}"[..16]);
        await Organisation(open, active: true);
        await Organisation(closed, active: false);
        await Volunteer(open, "2040-01-05", "2040-01-10");
        await Volunteer(open, "2040-01-05", "2040-01-10", taking: false); // supporting families already, taking no more: still active
        await Volunteer(open, "2038-05-01", "2038-06-14");                 // its 36 months end on 13 June 2041
        await Volunteer(open, null, "2040-01-10");                         // not yet trained
        await Volunteer(closed, "2040-01-05", "2040-01-10");

        async Task<(int, int)> ActiveAsync(string to)
        {
            var report = await host.GetJsonAsStaffAsync($"/api/reports/pilot?from=2041-06-01&to={to}", Roles.Reporting);
            return (report["community"]!["activeVolunteers"]!.GetValue<int>(), report["community"]!["activeOrganisations"]!.GetValue<int>());
        }
        (await ActiveAsync("2041-06-14")).Should().Be((2, 1));
        (await ActiveAsync("2041-06-13")).Should().Be((3, 1), "the third volunteer's check still counted on the 13th");
        (await ActiveAsync("2041-06-30")).Should().Be((2, 1), "a period not yet over is counted as the register stands today");
    }
}
