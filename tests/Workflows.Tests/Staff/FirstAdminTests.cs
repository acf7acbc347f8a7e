using System.Net;
using System.Text.Json.Nodes;
using Workflows.Http;
using Workflows.Staff;

namespace Workflows.Tests.Staff;

/// <summary>
/// A new deployment, with no sample data: its first admin comes from Staff__FirstAdminObjectId while there is none,
/// and there is always an admin afterwards. Its own Azurite, so no other test's admins count.
/// </summary>
public sealed class FirstAdminTests : IAsyncLifetime
{
    private readonly string _firstAdmin = Guid.NewGuid().ToString();
    private readonly string _noSeeds = Directory.CreateTempSubdirectory("no-seeds").FullName;
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        Directory.Delete(_noSeeds, recursive: true);
    }

    private Task<TestHost> StartAsync(string firstAdmin) => TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["LocalHost:SeedsPath"] = _noSeeds,
        ["Staff:FirstAdminObjectId"] = firstAdmin,
    }, _azurite, createTestUsers: false);

    [Fact]
    public async Task TheFirstAdminComesFromTheSettingOnlyWhileThereIsNoAdminAndTheLastAdminKeepsTheRole()
    {
        await using (var fresh = await StartAsync(_firstAdmin))
        {
            var admin = TestHost.EntraPrincipal(_firstAdmin, "Jo Lead", Roles.Admin);
            var list = await fresh.SendAsAsync(HttpMethod.Get, "/api/admin/staff", admin);
            list.StatusCode.Should().Be(HttpStatusCode.OK, await list.Content.ReadAsStringAsync());
            JsonNode.Parse(await list.Content.ReadAsStringAsync())!["staff"]!.AsArray().Select(s => s!["staffId"]!.GetValue<string>())
                .Should().Equal(FirstAdmin.StaffId);
            var audit = JsonNode.Parse(await (await fresh.SendAsAsync(HttpMethod.Get, $"/api/admin/audit?entity=staff:{FirstAdmin.StaffId}", admin)).Content.ReadAsStringAsync())!;
            audit["changes"]![0]!["by"]!["id"]!.GetValue<string>().Should().Be("setting");

            var self = new { name = "Jo Lead", roles = Array.Empty<string>(), phone = "+447700900802", identities = new[] { _firstAdmin } };
            var last = await fresh.SendAsAsync(HttpMethod.Put, $"/api/admin/staff/{FirstAdmin.StaffId}", admin, self);
            last.StatusCode.Should().Be(HttpStatusCode.Conflict, "nobody could manage staff without an admin");
            (await last.Content.ReadAsStringAsync()).Should().Contain("only admin");

            var second = Guid.NewGuid().ToString();
            (await fresh.SendAsAsync(HttpMethod.Put, "/api/admin/staff/admin-2", admin,
                new { name = "Sam Deputy", roles = new[] { "admin" }, phone = "+447700900803", identities = new[] { second } })).StatusCode.Should().Be(HttpStatusCode.Created);
            (await fresh.SendAsAsync(HttpMethod.Put, $"/api/admin/staff/{FirstAdmin.StaffId}", admin, self)).StatusCode.Should().Be(HttpStatusCode.OK, "another admin exists now");
            (await fresh.SendAsAsync(HttpMethod.Get, "/api/admin/staff", admin)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "at once");
            (await fresh.SendAsAsync(HttpMethod.Put, "/api/admin/staff/admin-2", TestHost.EntraPrincipal(second, "Sam Deputy", Roles.Admin),
                new { name = "Sam Deputy", roles = new[] { "anp" }, phone = "+447700900803", identities = new[] { second } })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        }

        var later = Guid.NewGuid().ToString();
        await using var restarted = await StartAsync(later);
        (await restarted.SendAsAsync(HttpMethod.Get, "/api/admin/staff", TestHost.EntraPrincipal(later, "Someone Else", Roles.Admin)))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "the setting is honoured only while no admin exists");
    }

    [Fact]
    public async Task ARoleTakenAwayStaysAwayAfterARestartWithTheSampleData()
    {
        var seeds = Path.Combine(RepoRoot.Path, "seeds");
        await using (var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["LocalHost:SeedsPath"] = seeds }, _azurite))
        {
            var hca = JsonNode.Parse(await (await host.SendAsStaffAsync(HttpMethod.Get, "/api/admin/staff/hca-02", Roles.Admin)).Content.ReadAsStringAsync())!.AsObject();
            hca["roles"] = new JsonArray();
            (await host.SendAsStaffAsync(HttpMethod.Put, "/api/admin/staff/hca-02", Roles.Admin, hca)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await using var again = await TestHost.StartAsync(new Dictionary<string, string?> { ["LocalHost:SeedsPath"] = seeds }, _azurite);
        (await again.Services.GetRequiredService<StaffDirectory>().FindAsync("hca-02"))!.Roles.Should().BeEmpty("seeding never undoes an admin's change");
    }
}
