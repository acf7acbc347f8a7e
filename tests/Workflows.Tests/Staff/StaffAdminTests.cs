using System.Net;
using System.Text.Json.Nodes;
using Workflows.Http;
using Workflows.Staff;

namespace Workflows.Tests.Staff;

/// <summary>Admins keep the staff directory: GET|PUT /api/admin/staff/{staffId}, each change in the audit trail.</summary>
public sealed class StaffAdminTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string NewId() => $"st-{Guid.NewGuid():N}"[..16];

    private Task<HttpResponseMessage> PutAsync(string staffId, object body) =>
        _host.SendAsStaffAsync(HttpMethod.Put, $"/api/admin/staff/{staffId}", Roles.Admin, body);

    private static object Record(string name, string[] roles, params string[] identities) =>
        new { name, roles, phone = "+447700900198", team = "SPOC", identities };

    [Fact]
    public async Task ARecordIsCreatedReadAndListed()
    {
        var (id, oid) = (NewId(), Guid.NewGuid().ToString().ToUpperInvariant());

        // Chesterfield, where no other test refers: a hospital's managers are texted, and the tables are shared.
        var put = await PutAsync(id, new { name = "Kofi Mensah", roles = new[] { "dd-manager", "anp" }, phone = "+447700900197", hospital = "chesterfield-royal", limitPence = 0, identities = new[] { oid } });

        put.StatusCode.Should().Be(HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        var got = JsonNode.Parse(await (await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/admin/staff/{id}", Roles.Admin)).Content.ReadAsStringAsync())!;
        got["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("anp", "dd-manager");
        got["identities"]!.AsArray().Single()!.GetValue<string>().Should().Be(oid.ToLowerInvariant(), "object ids are kept in one casing so any casing signs in");
        got["limitPence"]!.GetValue<long>().Should().Be(0);
        var list = JsonNode.Parse(await (await _host.SendAsStaffAsync(HttpMethod.Get, "/api/admin/staff", Roles.Admin)).Content.ReadAsStringAsync())!;
        list["staff"]!.AsArray().Select(s => s!["staffId"]!.GetValue<string>()).Should().Contain([id, "hca-01", "dd-rdh-officer-1", "admin-1"]);
        (await _host.SendAsStaffAsync(HttpMethod.Get, "/api/admin/staff/nobody-here", Roles.Admin)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EveryFieldIsCheckedAndNothingIsStoredOnRefusal()
    {
        var id = NewId();

        var r = await PutAsync(id, new
        {
            name = "", roles = new[] { "anp", "surgeon" }, phone = "01332 123456", hospital = "st-elsewhere", limitPence = -1,
            identities = new[] { "not a guid!", Guid.Empty.ToString(), Guid.Empty.ToString() },
        });

        r.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key);
        errors.Should().BeEquivalentTo(["name", "roles[1]", "phone", "hospital", "limitPence", "identities[0]", "identities[2]"]);
        (await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/admin/staff/{id}", Roles.Admin)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await PutAsync(id, Record("Too Many", ["anp"], [.. Enumerable.Range(0, 11).Select(_ => Guid.NewGuid().ToString())])))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest, "at most 10 sign-ins");
        (await PutAsync(id, new { name = "Dee Officer", roles = new[] { "dd-officer" }, phone = "+447700900198", identities = Array.Empty<string>() }))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest, "an officer's hospital is where their referrals come from");
    }

    [Fact]
    public async Task ASignInLinkedToAnotherPersonIsAConflict()
    {
        var (first, second, oid) = (NewId(), NewId(), Guid.NewGuid().ToString());
        (await PutAsync(first, Record("First Person", ["anp"], oid))).StatusCode.Should().Be(HttpStatusCode.Created);

        var taken = await PutAsync(second, Record("Second Person", ["anp"], Guid.NewGuid().ToString(), oid));

        taken.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var problem = JsonNode.Parse(await taken.Content.ReadAsStringAsync())!;
        problem["errors"]!["identities[1]"].Should().NotBeNull();
        problem["detail"]!.GetValue<string>().Should().Contain(first);
        (await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/admin/staff/{second}", Roles.Admin)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var signedIn = await _host.SendAsAsync(HttpMethod.Get, "/api/triage/queue", TestHost.EntraPrincipal(oid, "Someone", Roles.Anp));
        signedIn.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TwoAdminsLinkingOneSignInAtOnceLinkItOnce()
    {
        var oid = Guid.NewGuid().ToString();
        var ids = Enumerable.Range(0, 4).Select(_ => NewId()).ToList();

        var answers = await Task.WhenAll(ids.Select(id => PutAsync(id, Record($"Person {id}", ["anp"], oid))));

        answers.Select(a => a.StatusCode).Should().ContainSingle(s => s == HttpStatusCode.Created).And
            .OnlyContain(s => s == HttpStatusCode.Created || s == HttpStatusCode.Conflict);
        var linked = new List<string>();
        foreach (var id in ids)
            if (await _host.Services.GetRequiredService<StaffDirectory>().FindAsync(id) is { } m && m.Identities.Contains(oid)) linked.Add(id);
        linked.Should().ContainSingle("a sign-in belongs to one person");
    }

    [Fact]
    public async Task EveryChangeIsAuditedWithWhoWhenBeforeAndAfter()
    {
        var id = NewId();
        var created = Record("Audit Person", ["anp"], id);
        (await PutAsync(id, created)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await PutAsync(id, created)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await PutAsync(id, Record("Audit Person", ["anp", "coordinator"], id))).StatusCode.Should().Be(HttpStatusCode.OK);

        var trail = JsonNode.Parse(await (await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/admin/audit?entity=staff:{id}", Roles.Admin)).Content.ReadAsStringAsync())!;

        var changes = trail["changes"]!.AsArray();
        changes.Should().HaveCount(2, "the same record sent again changes nothing");
        changes[0]!["action"]!.GetValue<string>().Should().Be("created");
        changes[0]!["before"].Should().BeNull();
        changes[1]!["by"]!["id"]!.GetValue<string>().Should().Be(TestHost.DefaultUser(Roles.Admin));
        changes[1]!["before"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("anp");
        changes[1]!["after"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("anp", "coordinator");
        DateTimeOffset.Parse(changes[1]!["at"]!.GetValue<string>()).Should().BeOnOrAfter(DateTimeOffset.Parse(changes[0]!["at"]!.GetValue<string>()));
        (await _host.SendAsStaffAsync(HttpMethod.Get, "/api/admin/audit?entity=staff", Roles.Admin)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
