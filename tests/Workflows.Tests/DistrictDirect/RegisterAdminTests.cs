using System.Net;
using System.Text.Json.Nodes;
using Workflows.Http;
using static Workflows.Tests.DistrictDirect.Referrals;

namespace Workflows.Tests.DistrictDirect;

/// <summary>
/// Admins keep District Direct's hospitals and housing authorities in the app (hazard H41): checked, audited, one
/// authority per postcode district, and what they keep is what referrals and the duty to refer use.
/// </summary>
public sealed class RegisterAdminTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<JsonNode> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.Should().Be(expected, text);
        return JsonNode.Parse(text)!;
    }

    private Task<HttpResponseMessage> PutAsync(string path, object body) => _host.SendAsStaffAsync(HttpMethod.Put, path, Roles.Admin, body);

    [Fact]
    public async Task AHospitalAndAuthorityAnAdminAddsTakeReferralsAndTheDutyToRefer()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (authority, hospital) = ($"nw-leics-{suffix}", $"coalville-{suffix}");
        await Json(await PutAsync($"/api/admin/district-direct/housing-authorities/{authority}", new
        {
            name = "North West Leicestershire Housing Options", postcodeDistricts = new[] { "le67", "LE65" },
            referralMethod = "email", referralContact = "housing@nwleics.example.gov.uk",
        }), HttpStatusCode.Created);
        var added = await Json(await PutAsync($"/api/admin/district-direct/hospitals/{hospital}",
            new { name = "Coalville Community Hospital", postcode = "le67 4de", housingAuthority = authority }), HttpStatusCode.Created);
        added["postcode"]!.GetValue<string>().Should().Be("LE67 4DE");

        // The officer's staff record may name the new hospital, and the ward systems may refer from it.
        (await PutAsync($"/api/admin/staff/dd-coalville-{suffix}", new
        {
            name = "Jo Coalville", roles = new[] { "dd-officer" }, phone = "+447700900688", hospital, identities = Array.Empty<string>(),
        })).StatusCode.Should().Be(HttpStatusCode.Created);
        var body = Body(blockers: ["homeless"], postcode: "LE67 3AB");
        body["hospital"] = hospital;
        var referralId = await _host.ReferAsync(body);
        var referral = await _host.WaitForReferralAsync(referralId, r => r["housing"]?["authority"] is not null);
        referral["housing"]!["authority"]!["id"]!.GetValue<string>().Should().Be(authority);

        var moved = await Json(await PutAsync($"/api/admin/district-direct/hospitals/{hospital}",
            new { name = "Coalville Community Hospital (Broom Leys Road)", postcode = "LE67 4DE", housingAuthority = authority }), HttpStatusCode.OK);
        moved["name"]!.GetValue<string>().Should().EndWith("(Broom Leys Road)");
        var trail = (await _host.GetJsonAsStaffAsync($"/api/admin/audit?entity=hospital:{hospital}", Roles.Admin))["changes"]!.AsArray();
        trail.Select(c => c!["action"]!.GetValue<string>()).Should().Equal("created", "changed");
        trail[1]!["before"]!["name"]!.GetValue<string>().Should().Be("Coalville Community Hospital");
        (await _host.GetJsonAsStaffAsync("/api/admin/district-direct/hospitals", Roles.Admin))["hospitals"]!.AsArray()
            .Should().Contain(h => h!["hospitalId"]!.GetValue<string>() == hospital);
    }

    [Fact]
    public async Task ADistrictBelongsToOneAuthorityAndEveryFieldIsChecked()
    {
        var id = $"clash-{Guid.NewGuid():N}"[..16];
        var clash = await Json(await PutAsync($"/api/admin/district-direct/housing-authorities/{id}", new
        {
            name = "Somewhere Council", postcodeDistricts = new[] { "NG21", "de22" }, referralMethod = "phone", referralContact = "+441164960399",
        }), HttpStatusCode.Conflict);
        clash["errors"]!["postcodeDistricts[1]"]!.ToString().Should().Contain("derby-city");
        clash["detail"]!.GetValue<string>().Should().Contain("DE22 is covered by Derby City Council Housing Options");

        var bad = await Json(await PutAsync($"/api/admin/district-direct/housing-authorities/{id}", new
        {
            name = "Somewhere Council", postcodeDistricts = new[] { "Mansfield", "NG21", "NG21" }, referralMethod = "email", referralContact = "+441164960399",
        }), HttpStatusCode.BadRequest);
        bad["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("postcodeDistricts[0]", "postcodeDistricts[2]", "referralContact");

        var hospital = await Json(await PutAsync($"/api/admin/district-direct/hospitals/{id}",
            new { name = "Somewhere General", postcode = "NG21 0ZZZ", housingAuthority = "nobody-council" }), HttpStatusCode.BadRequest);
        hospital["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("postcode", "housingAuthority");

        (await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/admin/district-direct/housing-authorities/{id}", Roles.Admin)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/admin/district-direct/hospitals/{id}", Roles.Admin)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _host.GetJsonAsStaffAsync($"/api/admin/audit?entity=housing-authority:{id}", Roles.Admin))["changes"]!.AsArray().Should().BeEmpty();
    }
}
