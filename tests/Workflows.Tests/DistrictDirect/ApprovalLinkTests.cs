using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.DurableTask.Client;
using Workflows.Http;
using Workflows.Messaging;
using static Workflows.Tests.DistrictDirect.Referrals;

namespace Workflows.Tests.DistrictDirect;

/// <summary>
/// An approver deciding spend from the link in the approval text, signed in on the District Direct page, under the rules
/// of an APPROVE or REJECT reply: the approver asked or a manager, within an officer's limit, once.
/// </summary>
public sealed partial class ApprovalLinkTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [GeneratedRegex(@"/api/pages/district-direct\.html\?approval=([a-z2-7]+)$")]
    private static partial Regex ApprovalLink();

    [GeneratedRegex(@"Reply APPROVE (\w+)")]
    private static partial Regex ApprovalCode();

    /// <summary>The approval texts sent to <paramref name="phone"/> for a referral, once there are <paramref name="count"/>.</summary>
    private async Task<List<string>> TextsToAsync(string referralId, string phone, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            var texts = (await _host.TextsAsync(referralId)).Where(t => t.To == phone && ApprovalLink().IsMatch(t.Message)).Select(t => t.Message).ToList();
            if (texts.Count >= count) return texts;
            await Task.Delay(150);
        }
        throw new TimeoutException($"No {count} approval text(s) were sent to {phone} for {referralId}.");
    }

    /// <summary>The link id of each approval text to <paramref name="phone"/>, by the spend request it asks about.</summary>
    private async Task<Dictionary<string, string>> LinksAsync(string referralId, string phone, string userId, int count = 1)
    {
        var links = new Dictionary<string, string>();
        foreach (var text in await TextsToAsync(referralId, phone, count))
        {
            var id = ApprovalLink().Match(text).Groups[1].Value;
            var approval = await ReadAsync(id, "dd-officer", userId);
            links[approval["spendRequest"]!["spendRequestId"]!.GetValue<string>()] = id;
        }
        return links;
    }

    private async Task<JsonNode> ReadAsync(string approvalId, string role, string userId)
    {
        var r = await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/district-direct/approvals/{approvalId}", role, userId: userId);
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    private Task<HttpResponseMessage> AnswerAsync(string approvalId, string answer, string role = "dd-officer", string userId = Officer) =>
        _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/approvals/{approvalId}/answer", role, new { answer }, userId);

    private static JsonNode Spend(JsonNode referral, string id) =>
        referral["spendRequests"]!.AsArray().Single(s => s!["spendRequestId"]!.GetValue<string>() == id)!;

    private static string Summary(JsonNode referral, string kind, string spendId) =>
        referral["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == kind && e["summary"]!.GetValue<string>().Contains(spendId))!["summary"]!.GetValue<string>();

    [Fact]
    public async Task OfficerApprovesAndRejectsFromTheLinksInTheirTextsAsARepliedWould()
    {
        var id = await _host.ReferAsync();
        var spend = await _host.AssessAsync(id, ("Deep clean", 30_000, "Derby Clean Co"), ("Key safe fitted", 8_500, "Safe Hands Locks"));
        var links = await LinksAsync(id, OfficerPhone, Officer, count: 2);

        var opened = await ReadAsync(links[spend[0]], "dd-officer", Officer);
        opened["state"]!.GetValue<string>().Should().Be("open");
        opened["referralId"]!.GetValue<string>().Should().Be(id);
        opened["patient"]!["name"]!.GetValue<string>().Should().Be("Edith Turner", "the page is signed in; only the text is kept clear of the patient");
        opened["spendRequest"]!["status"]!.GetValue<string>().Should().Be("pending");
        (await _host.SendAsStaffAsync(HttpMethod.Get, $"/api/district-direct/approvals/{links[spend[0]]}", "dd-officer", userId: "dd-rdh-officer-2"))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "another officer cannot answer what was asked of this one");
        (await AnswerAsync(links[spend[0]], "approve", userId: "dd-rdh-officer-2")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        (await AnswerAsync(links[spend[0]], "approve")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await AnswerAsync(links[spend[1]], "reject")).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var referral = await _host.WaitForReferralAsync(id, r => Status(r) == "awaiting-discharge");
        Spend(referral, spend[0])["status"]!.GetValue<string>().Should().Be("approved");
        Spend(referral, spend[0])["decidedVia"]!.GetValue<string>().Should().Be("link");
        Spend(referral, spend[1])["status"]!.GetValue<string>().Should().Be("rejected");
        Spend(referral, spend[1])["reason"]!.GetValue<string>().Should().Be("Rejected from the link in the text.");
        referral["spendPence"]!.GetValue<long>().Should().Be(30_000);
        Summary(referral, "spend-approved", spend[0]).Should().StartWith($"Spend request {spend[0]} approved from the link in the text: £300.00 committed");
        Summary(referral, "spend-rejected", spend[1]).Should().Be($"Spend request {spend[1]} rejected from the link in the text.");
        var texts = await _host.TextsAsync(id);
        texts.Should().Contain(t => t.To == OfficerPhone && t.Message.Contains("£300.00") && t.Message.Contains("is approved"));
        texts.Should().Contain(t => t.To == OfficerPhone && t.Message.Contains("£85.00") && t.Message.Contains("is rejected"));
        (await AnswerAsync(links[spend[0]], "reject")).StatusCode.Should().Be(HttpStatusCode.Conflict, "decided already");
    }

    [Fact]
    public async Task AboveTheirLimitAnOfficersLinkSaysAManagerMustApproveAndAManagerApprovesFromIt()
    {
        // An officer of their own with a £500 limit: the first two items are asked of them, the third of the manager.
        var officer = $"dd-link-{Guid.NewGuid():N}"[..20];
        const string phone = "+447700900695";
        (await _host.SendAsStaffAsync(HttpMethod.Put, $"/api/admin/staff/{officer}", Roles.Admin, new
        {
            name = "Cara Doyle", roles = new[] { "dd-officer" }, phone, hospital = "royal-derby", limitPence = 50_000, identities = new[] { officer },
        })).StatusCode.Should().Be(HttpStatusCode.Created);
        var id = await _host.ReferAsync();
        var assessed = await _host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{id}/assessment", "dd-officer", new
        {
            findings = "Stairs blocked; no key safe.",
            spend = new[]
            {
                new { item = "Clearance", amountPence = 20_000, supplier = "Derby Clear" }, new { item = "Key safe", amountPence = 20_000, supplier = "Safe Homes" },
                new { item = "Stair rail", amountPence = 30_000, supplier = "Peak Rails" },
            },
        }, officer);
        assessed.StatusCode.Should().Be(HttpStatusCode.Created, await assessed.Content.ReadAsStringAsync());
        var spend = JsonNode.Parse(await assessed.Content.ReadAsStringAsync())!["spendRequests"]!.AsArray().Select(s => s!["spendRequestId"]!.GetValue<string>()).ToList();
        var links = await LinksAsync(id, phone, officer, count: 2);
        links.Keys.Should().BeEquivalentTo(spend[..2], "the stair rail would take the referral past the officer's limit, so it went to the manager");

        // The manager approves the rail on the page; now either of the officer's items would take the referral past £500.
        (await _host.DecideAsync(spend[2], "approve", role: "dd-manager", userId: TestHost.DefaultUser("dd-manager"))).StatusCode.Should().Be(HttpStatusCode.OK);
        var within = await AnswerAsync(links[spend[0]], "approve", userId: officer);
        within.StatusCode.Should().Be(HttpStatusCode.Accepted, await within.Content.ReadAsStringAsync());
        await _host.WaitForReferralAsync(id, r => Spend(r, spend[0])["status"]!.GetValue<string>() == "approved");
        var above = await AnswerAsync(links[spend[1]], "approve", userId: officer);

        above.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var problem = JsonNode.Parse(await above.Content.ReadAsStringAsync())!;
        problem["title"]!.GetValue<string>().Should().Be("A manager must approve");
        problem["limitPence"]!.GetValue<long>().Should().Be(50_000);
        problem["approvedPence"]!.GetValue<long>().Should().Be(50_000);
        (await ReadAsync(links[spend[1]], "dd-officer", officer))["state"]!.GetValue<string>().Should().Be("open", "the refusal answered nothing");

        var manager = await AnswerAsync(links[spend[1]], "approve", role: "dd-manager", userId: TestHost.DefaultUser("dd-manager"));
        manager.StatusCode.Should().Be(HttpStatusCode.Accepted, await manager.Content.ReadAsStringAsync());
        var referral = await _host.WaitForReferralAsync(id, r => Status(r) == "awaiting-discharge");
        Spend(referral, spend[1])["decidedBy"]!.GetValue<string>().Should().Be("Test dd-manager");
        Spend(referral, spend[1])["decidedVia"]!.GetValue<string>().Should().Be("link");
        referral["spendPence"]!.GetValue<long>().Should().Be(70_000);
    }

    [Fact]
    public async Task AnApprovalByTextAndFromItsLinkAtOnceIsDecidedOnce()
    {
        var id = await _host.ReferAsync();
        var spend = await _host.AssessAsync(id, ("Deep clean", 30_000, "Derby Clean Co"));
        var text = (await TextsToAsync(id, OfficerPhone)).Single();
        var (link, code) = (ApprovalLink().Match(text).Groups[1].Value, ApprovalCode().Match(text).Groups[1].Value);

        var reply = _host.Services.GetRequiredService<SmsInbox>().ReceiveAsync(
            new InboundSms($"Incoming_{Guid.NewGuid():N}", OfficerPhone, $"APPROVE {code}", DateTimeOffset.UtcNow), _host.Services.GetRequiredService<DurableTaskClient>());
        var taps = Enumerable.Range(0, 2).Select(_ => AnswerAsync(link, "approve")).ToList();
        await Task.WhenAll(taps.Append<Task>(reply));

        var accepted = taps.Count(t => t.Result.StatusCode == HttpStatusCode.Accepted) + (reply.Result == InboundOutcome.Applied ? 1 : 0);
        accepted.Should().Be(1);
        taps.Where(t => t.Result.StatusCode != HttpStatusCode.Accepted).Should().OnlyContain(t => t.Result.StatusCode == HttpStatusCode.Conflict);
        var referral = await _host.WaitForReferralAsync(id, r => Status(r) == "awaiting-discharge");
        referral["spendPence"]!.GetValue<long>().Should().Be(30_000);
        referral["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "spend-approved").Should().Be(1);
        Spend(referral, spend[0])["decidedVia"]!.GetValue<string>().Should().Be(reply.Result == InboundOutcome.Applied ? "sms" : "link");
        (await _host.TextsAsync(id)).Count(t => t.To == OfficerPhone && t.Message.Contains("is approved")).Should().Be(1);
    }
}
