using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Workflows.Http;
using Workflows.Staff;
using Workflows.Tests.DistrictDirect;
using Workflows.Tests.Ecss;

namespace Workflows.Tests.Staff;

/// <summary>
/// Signing in as Azure does it: App Service Authentication's principal carries the Entra object id, which the staff
/// directory maps to the person's staff id, so HCAs and officers act on their own cases and limits.
/// </summary>
public sealed partial class StaffSignInTests
{
    [GeneratedRegex(@"Reply YES (\w+)")]
    private static partial Regex OfferCode();

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static async Task PutStaffAsync(TestHost host, string staffId, object body)
    {
        var r = await host.SendAsStaffAsync(HttpMethod.Put, $"/api/admin/staff/{staffId}", Roles.Admin, body);
        r.StatusCode.Should().Be(HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HcaSignedInWithAnEntraObjectIdReadsAndRecordsOnTheirOwnCase()
    {
        await using var ecss = await EcssHost.StartAsync();
        var (oid, staffId, phone) = (Guid.NewGuid().ToString(), NewId("hca"), "+447700900399");
        await PutStaffAsync(ecss.Host, staffId, new { name = "Nia Roberts", roles = new[] { "hca" }, phone, team = "ECSS Derbyshire", identities = new[] { oid } });
        (await ecss.Host.SendAsStaffAsync(HttpMethod.Put, $"/api/admin/ecss/pool/{staffId}", Roles.Admin, new { homeDistrict = "DE22" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var now = Workflows.Ecss.Shift.At(DateTimeOffset.UtcNow);
        foreach (var shift in new[] { now, now.Next })
            await ecss.Roster.SetShiftAsync(shift, [staffId, "hca-04", "hca-07"], "test", DateTimeOffset.UtcNow);

        var caseId = await ecss.ReferToEcssAsync();
        var code = await CodeTextedToAsync(ecss, caseId, phone);
        (await ecss.Host.Client.PostAsync("/api/sms/inbound", new StringContent(SmsReceivedEvent.From(phone, $"YES {code}"), Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();
        var c = await ecss.WaitForCaseAsync(caseId, c => EcssHost.Status(c) == "bridging");
        EcssHost.AssignedHca(c).Should().Be(staffId, "the case names the HCA by their staff id");

        var principal = TestHost.EntraPrincipal(oid, "Nia Roberts", Roles.Hca);
        (await ecss.Host.SendAsAsync(HttpMethod.Get, $"/api/cases/{caseId}", principal)).StatusCode.Should().Be(HttpStatusCode.OK);
        var arrived = DateTimeOffset.UtcNow.AddMinutes(-50);
        var visit = await ecss.Host.SendAsAsync(HttpMethod.Post, $"/api/cases/{caseId}/visits", principal,
            new { arrivedAt = arrived.ToString("O"), leftAt = arrived.AddMinutes(40).ToString("O"), care = new[] { "personal-care" } });
        visit.StatusCode.Should().Be(HttpStatusCode.Created, await visit.Content.ReadAsStringAsync());
        var mine = JsonNode.Parse(await (await ecss.Host.SendAsAsync(HttpMethod.Get, "/api/ecss/my-cases", principal)).Content.ReadAsStringAsync())!;
        mine["hcaId"]!.GetValue<string>().Should().Be(staffId);
        mine["cases"]!.AsArray().Select(x => x!["caseId"]!.GetValue<string>()).Should().Contain(caseId);
        c = await ecss.WaitForCaseAsync(caseId, c => EcssHost.Has(c, "visit"));
        c["ecss"]!["visits"]![0]!["hcaId"]!.GetValue<string>().Should().Be(staffId);
    }

    private static async Task<string> CodeTextedToAsync(EcssHost ecss, string caseId, string phone)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var offer = (await ecss.TextsAsync(caseId)).Where(t => t.To == phone).Select(t => OfferCode().Match(t.Message)).FirstOrDefault(m => m.Success);
            if (offer is not null) return offer.Groups[1].Value;
            await Task.Delay(200);
        }
        throw new TimeoutException($"No offer of {caseId} was texted to {phone}.");
    }

    [Fact]
    public async Task OfficerSignedInWithAnEntraObjectIdApprovesWithinTheirOwnLimitOnly()
    {
        await using var host = await TestHost.StartAsync();
        var (oid, staffId) = (Guid.NewGuid().ToString(), NewId("dd"));
        // Chesterfield, where no other test refers: the officers of a hospital are texted in turn, and the tables are shared.
        await PutStaffAsync(host, staffId, new
        {
            name = "Rhian Price", roles = new[] { "dd-officer" }, phone = "+447700900699", hospital = "chesterfield-royal", limitPence = 50000, identities = new[] { oid },
        });
        var principal = TestHost.EntraPrincipal(oid, "Rhian Price", Roles.DdOfficer);
        var body = Referrals.Body();
        body["hospital"] = "chesterfield-royal";
        var referralId = await host.ReferAsync(body);

        var assessed = await host.SendAsAsync(HttpMethod.Post, $"/api/district-direct/referrals/{referralId}/assessment", principal, new
        {
            findings = "Stairs blocked; no key safe.",
            spend = new[] { new { item = "Clearance", amountPence = 30000, supplier = "Derby Clear" }, new { item = "Key safe", amountPence = 30000, supplier = "Safe Homes" } },
        });
        var text = await assessed.Content.ReadAsStringAsync();
        assessed.StatusCode.Should().Be(HttpStatusCode.Created, text);
        var spend = JsonNode.Parse(text)!["spendRequests"]!.AsArray().Select(s => s!["spendRequestId"]!.GetValue<string>()).ToList();

        var first = await host.SendAsAsync(HttpMethod.Post, $"/api/district-direct/spend-requests/{spend[0]}/decision", principal, new { decision = "approve" });
        first.StatusCode.Should().Be(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var second = await host.SendAsAsync(HttpMethod.Post, $"/api/district-direct/spend-requests/{spend[1]}/decision", principal, new { decision = "approve" });
        second.StatusCode.Should().Be(HttpStatusCode.Forbidden, "£600 on the referral is above the officer's own £500 limit");
        JsonNode.Parse(await second.Content.ReadAsStringAsync())!["limitPence"]!.GetValue<long>().Should().Be(50000);
        var referral = await host.ReferralAsync(referralId);
        referral["assessment"]!["officerId"]!.GetValue<string>().Should().Be(staffId);
    }

    [Fact]
    public async Task SignInWithNoStaffRecordIsRefusedWithTheIdAnAdminNeeds()
    {
        await using var host = await TestHost.StartAsync();
        var oid = Guid.NewGuid().ToString();

        var r = await host.SendAsAsync(HttpMethod.Get, "/api/triage/queue", TestHost.EntraPrincipal(oid, "New Starter", Roles.Anp));

        r.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var problem = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        problem["signInId"]!.GetValue<string>().Should().Be(oid);
        problem["detail"]!.GetValue<string>().Should().Contain("Ask an admin").And.Contain("link your account").And.Contain(oid);
    }

    [Fact]
    public async Task TheSignInPageLearnsWhoTheCallerIsFromTheApp()
    {
        await using var host = await TestHost.StartAsync();
        var (oid, staffId) = (Guid.NewGuid().ToString(), NewId("coord"));
        await PutStaffAsync(host, staffId, new { name = "Rhian Moss", roles = new[] { "coordinator", "anp" }, phone = "+447700900197", identities = new[] { oid } });

        var me = JsonNode.Parse(await (await host.SendAsAsync(HttpMethod.Get, "/api/staff/me",
            TestHost.EntraPrincipal(oid, "R. Moss (Entra)", Roles.Coordinator, Roles.Reporting))).Content.ReadAsStringAsync())!;
        var stranger = await host.SendAsAsync(HttpMethod.Get, "/api/staff/me", TestHost.EntraPrincipal("not-linked-" + oid, "Someone", Roles.Anp));
        var nobody = await host.Client.GetAsync("/api/staff/me");

        (me["staffId"]!.GetValue<string>(), me["name"]!.GetValue<string>(), me["signInId"]!.GetValue<string>()).Should().Be((staffId, "Rhian Moss", oid));
        me["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal(["coordinator"], "only roles both the sign-in and the record hold");
        me["signInRoles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("coordinator", "reporting");
        me["recordRoles"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("anp", "coordinator");
        stranger.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        JsonNode.Parse(await stranger.Content.ReadAsStringAsync())!["signInId"]!.GetValue<string>().Should().Be("not-linked-" + oid);
        nobody.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ARoleOnlyInTheSignInOrOnlyInTheStaffRecordIsRefused()
    {
        await using var host = await TestHost.StartAsync();
        var (oid, staffId) = (Guid.NewGuid().ToString(), NewId("anp"));
        var record = new { name = "Lena Ford", roles = new[] { "anp" }, phone = "+447700900198", identities = new[] { oid } };
        await PutStaffAsync(host, staffId, record);

        (await host.SendAsAsync(HttpMethod.Get, "/api/triage/queue", TestHost.EntraPrincipal(oid, "Lena Ford", Roles.Anp)))
            .StatusCode.Should().Be(HttpStatusCode.OK, "both the sign-in and the record hold anp");
        var tokenLacks = await host.SendAsAsync(HttpMethod.Get, "/api/triage/queue", TestHost.EntraPrincipal(oid, "Lena Ford", Roles.Reporting));
        tokenLacks.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the record has anp, the sign-in does not");
        (await tokenLacks.Content.ReadAsStringAsync()).Should().Contain("your sign-in does not");
        (await host.SendAsAsync(HttpMethod.Get, "/api/reports/pilot", TestHost.EntraPrincipal(oid, "Lena Ford", Roles.Reporting)))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "the sign-in has reporting, the record does not");

        (await host.SendAsStaffAsync(HttpMethod.Put, $"/api/admin/staff/{staffId}", Roles.Admin, record with { roles = Array.Empty<string>() }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var removed = await host.SendAsAsync(HttpMethod.Get, "/api/triage/queue", TestHost.EntraPrincipal(oid, "Lena Ford", Roles.Anp));
        removed.StatusCode.Should().Be(HttpStatusCode.Forbidden, "an admin taking the role away takes effect on the next request");
        (await removed.Content.ReadAsStringAsync()).Should().Contain("your staff record does not");
        var kept = JsonNode.Parse(await (await host.SendAsStaffAsync(HttpMethod.Get, $"/api/admin/staff/{staffId}", Roles.Admin)).Content.ReadAsStringAsync())!;
        kept["roles"]!.AsArray().Should().BeEmpty("the record stays, with no access, for its audit trail");
    }

    [Fact]
    public async Task APrincipalHeaderIsBelievedOnlyWhereThePlatformSetsIt()
    {
        Trusted(new() { ["WEBSITE_AUTH_ENABLED"] = "True" }).Should().BeTrue("App Service Authentication sets the header and strips any a caller sent");
        Trusted(new() { ["WEBSITE_AUTH_ENABLED"] = "False" }).Should().BeFalse();
        Trusted(new()).Should().BeFalse("without App Service Authentication anyone can send the header");
        Trusted(new() { ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production" }).Should().BeFalse();
        Trusted(new() { ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development" }).Should().BeTrue("the Functions host on a developer's machine");

        await using var host = await TestHost.StartAsync();
        var signIn = host.Services.GetRequiredService<StaffSignIn>();
        var spoofed = Request(TestHost.Principal(Roles.Admin));
        (await signIn.ResolveAsync(spoofed.HttpContext, trustPrincipalHeader: false)).State.Should().Be(SignInState.NotSignedIn);
        StaffPrincipal.Require(spoofed, Roles.Admin).Problem.Should().NotBeNull("an untrusted header signs nobody in");
        var platform = Request(TestHost.Principal(Roles.Admin));
        (await signIn.ResolveAsync(platform.HttpContext, trustPrincipalHeader: true)).State.Should().Be(SignInState.Linked);
        StaffPrincipal.Require(platform, Roles.Admin).Staff!.UserId.Should().Be(TestHost.DefaultUser(Roles.Admin));
    }

    [Fact]
    public void AStaffRouteAdmitsNobodyWhenTheSignInCheckDidNotRun()
    {
        var (staff, problem) = StaffPrincipal.Require(Request(TestHost.Principal(Roles.Anp)), Roles.Anp);

        staff.Should().BeNull();
        problem.Should().BeAssignableTo<IStatusCodeHttpResult>().Which.StatusCode.Should().Be(StatusCodes.Status500InternalServerError);
    }

    private static bool Trusted(Dictionary<string, string?> settings) =>
        StaffSignIn.PlatformSetsPrincipal(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    private static HttpRequest Request(string principal)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[StaffPrincipal.Header] = principal;
        return context.Request;
    }
}
