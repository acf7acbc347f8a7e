using System.Net;
using System.Text.Json.Nodes;
using Workflows.Http;

namespace Workflows.Tests.Community;

/// <summary>The volunteer coordinator keeps voluntary organisations and their volunteers (/api/community/...).</summary>
public sealed class VolunteerRegisterTests
{
    // A fixed UK date: whether a DBS check still counts depends on the day, never on today's.
    private static readonly DateTimeOffset Now = new(2027, 3, 10, 10, 0, 0, TimeSpan.Zero);

    private static Task<HttpResponseMessage> Put(TestHost host, string path, object body) =>
        host.SendAsStaffAsync(HttpMethod.Put, path, Roles.Community, body);

    private static async Task<string> VolunteerAsync(TestHost host, string suffix)
    {
        var id = $"vol-{suffix}-{Guid.NewGuid():N}"[..20];
        await Workflows.Tests.Fixtures.StaffRecords.EnsureAsync(host.Services.GetRequiredService<Workflows.Staff.StaffDirectory>(), id, Roles.Volunteer,
            "Jean Hollis", "+447700900723");
        return id;
    }

    private static object Record(string organisation, string dbsCheckedOn, bool taking = true) => new
    {
        organisationId = organisation, offers = new[] { "sitting", "befriending" }, homeDistrict = "de4", days = new[] { "sat", "mon" },
        takingNewFamilies = taking, trainingCompletedOn = "2026-11-02", dbsCheckedOn,
    };

    private static async Task<JsonNode> ListedAsync(TestHost host, string staffId) =>
        (await host.GetJsonAsStaffAsync("/api/community/volunteers", Roles.Community))["volunteers"]!.AsArray()
            .Single(v => v!["volunteer"]!["staffId"]!.GetValue<string>() == staffId)!;

    [Fact]
    public async Task AVolunteerWithADbsCheckOlderThanTheSettingIsNotOfferedFamilies()
    {
        await using var host = await TestHost.StartAsync(clock: new ShiftedClock(Now));
        var org = $"org-{Guid.NewGuid():N}"[..16];
        (await Put(host, $"/api/community/organisations/{org}", new { name = "Peak Befriending", phone = "+441629000111", active = true }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var (inDate, lastDay, expired) = (await VolunteerAsync(host, "a"), await VolunteerAsync(host, "b"), await VolunteerAsync(host, "c"));

        (await Put(host, $"/api/community/volunteers/{inDate}", Record(org, "2025-01-15"))).StatusCode.Should().Be(HttpStatusCode.Created);
        // 36 months by default: a check of 11 March 2024 counts to 10 March 2027 (today), one of 10 March 2024 to yesterday.
        (await Put(host, $"/api/community/volunteers/{lastDay}", Record(org, "2024-03-11"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Put(host, $"/api/community/volunteers/{expired}", Record(org, "2024-03-10"))).StatusCode.Should().Be(HttpStatusCode.Created);

        var listed = await ListedAsync(host, inDate);
        listed["canBeOffered"]!.GetValue<bool>().Should().BeTrue();
        listed["name"]!.GetValue<string>().Should().Be("Jean Hollis");
        listed["volunteer"]!["offers"]!.AsArray().Select(o => o!.GetValue<string>()).Should().Equal("befriending", "sitting");
        listed["volunteer"]!["days"]!.AsArray().Select(o => o!.GetValue<string>()).Should().Equal("mon", "sat");
        listed["volunteer"]!["homeDistrict"]!.GetValue<string>().Should().Be("DE4");
        (await ListedAsync(host, lastDay))["canBeOffered"]!.GetValue<bool>().Should().BeTrue("its 36 months end today");
        var old = await ListedAsync(host, expired);
        old["canBeOffered"]!.GetValue<bool>().Should().BeFalse();
        old["notOfferedBecause"]!.GetValue<string>().Should().Be("DBS check out of date");
        old["volunteer"]!["dbsValidUntil"]!.GetValue<string>().Should().Be("2027-03-09");

        // The organisation closing takes every one of its volunteers off offers.
        (await Put(host, $"/api/community/organisations/{org}", new { name = "Peak Befriending", active = false })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ListedAsync(host, inDate))["notOfferedBecause"]!.GetValue<string>().Should().Be("organisation not active");

        var trail = await host.GetJsonAsStaffAsync($"/api/admin/audit?entity=volunteer:{inDate}", Roles.Admin);
        trail["changes"]!.AsArray().Single()!["by"]!["id"]!.GetValue<string>().Should().Be(TestHost.DefaultUser(Roles.Community));
    }

    [Fact]
    public async Task AShorterDbsSettingTakesAVolunteerOffSooner()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Community:DbsValidMonths"] = "12" }, clock: new ShiftedClock(Now));
        var org = $"org-{Guid.NewGuid():N}"[..16];
        await Put(host, $"/api/community/organisations/{org}", new { name = "Dales Sitters", active = true });
        var id = await VolunteerAsync(host, "d");
        (await Put(host, $"/api/community/volunteers/{id}", Record(org, "2025-01-15"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await ListedAsync(host, id))["notOfferedBecause"]!.GetValue<string>().Should().Be("DBS check out of date");
    }

    [Fact]
    public async Task OnlyAPersonWhoseRecordHoldsTheVolunteerRoleIsRecordedAndEveryProblemIsSaidAtOnce()
    {
        await using var host = await TestHost.StartAsync(clock: new ShiftedClock(Now));
        var org = $"org-{Guid.NewGuid():N}"[..16];
        await Put(host, $"/api/community/organisations/{org}", new { name = "Peak Befriending", active = true });
        (await Put(host, "/api/community/volunteers/anp-1", Record(org, "2025-01-15"))).StatusCode.Should().Be(HttpStatusCode.Conflict, "an ANP is no volunteer");
        (await Put(host, "/api/community/volunteers/nobody-at-all", Record(org, "2025-01-15"))).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var id = await VolunteerAsync(host, "e");
        var bad = await Put(host, $"/api/community/volunteers/{id}", new
        {
            organisationId = "no-such-org", offers = new[] { "nursing" }, homeDistrict = "Matlock", days = Array.Empty<string>(),
            takingNewFamilies = true, dbsCheckedOn = "2027-03-11",
        });
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key)
            .Should().BeEquivalentTo(["organisationId", "offers[0]", "homeDistrict", "days", "dbsCheckedOn"], "a check dated tomorrow has not happened");
        (await host.GetJsonAsStaffAsync("/api/community/volunteers", Roles.Community))["volunteers"]!.AsArray()
            .Should().NotContain(v => v!["volunteer"]!["staffId"]!.GetValue<string>() == id, "nothing is stored from a refused request");
        (await host.GetJsonAsStaffAsync("/api/community/volunteers", Roles.Community))["notYetRecorded"]!.AsArray()
            .Should().Contain(v => v!["staffId"]!.GetValue<string>() == id);

        (await Put(host, $"/api/community/volunteers/{id}", Record(org, "2025-01-15"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Put(host, $"/api/community/volunteers/{id}", Record(org, "2025-01-15", taking: false))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ListedAsync(host, id))["notOfferedBecause"]!.GetValue<string>().Should().Be("not taking new families");
        (await host.SendAsStaffAsync(HttpMethod.Delete, $"/api/community/volunteers/{id}", Roles.Community)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await host.SendAsStaffAsync(HttpMethod.Delete, $"/api/community/volunteers/{id}", Roles.Community)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
