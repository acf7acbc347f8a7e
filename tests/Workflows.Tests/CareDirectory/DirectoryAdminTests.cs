using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using Workflows.CareDirectory;
using Workflows.Http;

namespace Workflows.Tests.CareDirectory;

/// <summary>
/// Admins keep the service directory and the bank holidays in the app (hazard H41): every field checked with nothing
/// stored on refusal, every change audited with who, when, before and after, and what they keep is what triage uses.
/// </summary>
public sealed class DirectoryAdminTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static object Service(string name, object? hours = null, bool alwaysOpen = false) => new
    {
        name,
        needs = new[] { "night-sitting", "carer-support" },
        alwaysOpen,
        hours = hours ?? new[] { new { day = "monday", opens = "08:00", closes = "22:00" }, new { day = "saturday", opens = "00:00", closes = "00:00" } },
        openOnBankHolidays = false,
        referral = new { method = "phone", contact = "+441164960199", notes = "Ask for the night coordinator." },
        area = "DE1-DE24, S40",
    };

    private async Task<JsonNode> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.Should().Be(expected, text);
        return JsonNode.Parse(text)!;
    }

    private async Task<JsonArray> TrailAsync(string entity) =>
        (await _host.GetJsonAsStaffAsync($"/api/admin/audit?entity={entity}", Roles.Admin))["changes"]!.AsArray();

    [Fact]
    public async Task AnAdminAddsChangesAndRemovesAServiceAndEachChangeIsAudited()
    {
        var id = $"night-sitters-{Guid.NewGuid():N}"[..24];

        var added = await Json(await _host.SendAsStaffAsync(HttpMethod.Put, $"/api/admin/services/{id}", Roles.Admin,
            Service("Night Sitters (Derby)", alwaysOpen: true, hours: Array.Empty<object>())), HttpStatusCode.Created);
        added["serviceId"]!.GetValue<string>().Should().Be(id);
        // What the admin keeps is what an ANP is offered: an always-open service is open now, whatever the time.
        var open = await _host.GetJsonAsStaffAsync("/api/directory/open-now?need=night-sitting", Roles.Anp);
        open["services"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).Should().Contain(id);

        var changed = await Json(await _host.SendAsStaffAsync(HttpMethod.Put, $"/api/admin/services/{id}", Roles.Admin,
            Service("Night Sitters (Derby)")), HttpStatusCode.OK);
        changed["hours"]!.AsArray().Should().HaveCount(2);
        (await _host.GetJsonAsStaffAsync("/api/admin/services", Roles.Admin))["services"]!.AsArray()
            .Should().ContainSingle(s => s!["serviceId"]!.GetValue<string>() == id);

        (await _host.SendAsStaffAsync(HttpMethod.Delete, $"/api/admin/services/{id}", Roles.Admin)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/admin/services/{id}", Roles.Admin)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _host.SendAsStaffAsync(HttpMethod.Delete, $"/api/admin/services/{id}", Roles.Admin)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var trail = await TrailAsync($"care-service:{id}");
        trail.Select(c => c!["action"]!.GetValue<string>()).Should().Equal("created", "changed", "removed");
        trail.Should().OnlyContain(c => c!["by"]!["id"]!.GetValue<string>() == TestHost.DefaultUser(Roles.Admin));
        trail[1]!["before"]!["alwaysOpen"]!.GetValue<bool>().Should().BeTrue();
        trail[1]!["after"]!["hours"]![0]!["opens"]!.GetValue<string>().Should().Be("08:00");
        trail[2]!["after"].Should().BeNull();
    }

    [Fact]
    public async Task EveryFieldOfAServiceIsCheckedAndARefusedOneIsNotStored()
    {
        var id = $"bad-{Guid.NewGuid():N}"[..20];
        var body = new
        {
            name = "",
            needs = new[] { "night-sitting", "witchcraft" },
            alwaysOpen = false,
            hours = new object[] { new { day = "monday", opens = "8am", closes = "22:00" }, new { day = "funday", opens = "08:00", closes = "25:00" } },
            openOnBankHolidays = "yes",
            referral = new { method = "phone", contact = "ring the office" },
            area = "Derby and district",
        };

        var problem = await Json(await _host.SendAsStaffAsync(HttpMethod.Put, $"/api/admin/services/{id}", Roles.Admin, body), HttpStatusCode.BadRequest);

        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo(
            "name", "needs[1]", "hours[0].opens", "hours[1].day", "hours[1].closes", "openOnBankHolidays", "referral.contact", "area");
        (await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/admin/services/{id}", Roles.Admin)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await TrailAsync($"care-service:{id}")).Should().BeEmpty();

        var noHours = await Json(await _host.SendAsStaffAsync(HttpMethod.Put, $"/api/admin/services/{id}", Roles.Admin,
            Service("Nowhere", hours: Array.Empty<object>())), HttpStatusCode.BadRequest);
        noHours["errors"]!["hours"]!.ToString().Should().Contain("needs its opening hours");
    }

    [Fact]
    public async Task AYearsBankHolidaysAreReplacedWholeAndAudited()
    {
        const string path = "/api/admin/bank-holidays/2093";
        var first = new { holidays = new[] { new { date = "2093-12-25", name = "Christmas Day" }, new { date = "2093-01-01", name = "New Year's Day" } } };
        var set = await Json(await _host.SendAsStaffAsync(HttpMethod.Put, path, Roles.Admin, first), HttpStatusCode.OK);
        set["holidays"]!.AsArray().Select(h => h!["date"]!.GetValue<string>()).Should().Equal("2093-01-01", "2093-12-25");

        var wrong = await Json(await _host.SendAsStaffAsync(HttpMethod.Put, path, Roles.Admin,
            new { holidays = new[] { new { date = "2094-01-01", name = "New Year's Day" }, new { date = "2093-12-25", name = "" } } }), HttpStatusCode.BadRequest);
        wrong["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("holidays[0].date", "holidays[1].name");

        await Json(await _host.SendAsStaffAsync(HttpMethod.Put, path, Roles.Admin,
            new { holidays = new[] { new { date = "2093-12-25", name = "Christmas Day" } } }), HttpStatusCode.OK);
        (await _host.GetJsonAsStaffAsync(path, Roles.Admin))["holidays"]!.AsArray().Should().ContainSingle();
        var holidays = await _host.Services.GetRequiredService<ServiceDirectory>().BankHolidaysAsync();
        holidays.Should().Contain(new LocalDate(2093, 12, 25)).And.NotContain(new LocalDate(2093, 1, 1));

        var trail = await TrailAsync("bank-holidays:2093");
        trail.Select(c => c!["action"]!.GetValue<string>()).Should().Equal("created", "changed");
        trail[1]!["before"]!["holidays"]!.AsArray().Should().HaveCount(2);
        (await _host.SendAsStaffAsync(HttpMethod.Get, "/api/admin/bank-holidays/1999", Roles.Admin)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    /// <summary>Opening hours are UK local time: the same 08:00 opening is 07:00 UTC in summer and 08:00 UTC in winter.</summary>
    [Fact]
    public void OpeningHoursAreKeptInUkLocalTimeAndABankHolidayClosesAServiceThatSaysSo()
    {
        var f = new FieldReader(JsonSerializer.SerializeToElement(Service("Day Hospice"), Workflows.Http.Json.Options));
        var service = CareServiceForm.Read(f, "day-hospice")!;
        var holidays = new HashSet<LocalDate> { new(2093, 1, 5) };

        service.OpenUntil(Instant.FromUtc(2093, 7, 6, 7, 30), new HashSet<LocalDate>()).Should().NotBeNull("08:30 BST on a Monday");
        service.OpenUntil(Instant.FromUtc(2093, 1, 12, 7, 30), new HashSet<LocalDate>()).Should().BeNull("07:30 GMT on a Monday");
        service.OpenUntil(Instant.FromUtc(2093, 1, 5, 12, 0), holidays).Should().BeNull("a bank holiday Monday, and the service closes on them");
        service.OpenUntil(Instant.FromUtc(2093, 1, 10, 23, 30), new HashSet<LocalDate>()).Should().NotBeNull("00:00 to 00:00 on Saturday is the whole day");
    }
}
