using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Workflows.Messaging;
using Workflows.Storage;

namespace Workflows.Tests.Messaging;

/// <summary>
/// The app started as in Azure (AZURE_FUNCTIONS_ENVIRONMENT=Production) with SMS unset or wrong (hazard H38): it starts,
/// takes 111 calls, says it is degraded, and holds every text as waiting with the reason; the next start with good
/// settings sends what may still go and withdraws the rest (H39). On an Azurite of its own: a host started by another
/// test class would send these waiting texts to its own sink.
/// </summary>
public sealed class SmsNotConfiguredTests : IAsyncLifetime
{
    private const string Coordinator = "+447700900002";
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    private Task<TestHost> StartAsAzureAsync(string connectionString, string from = "+447700900000", string? taskHub = null) =>
        TestHost.StartAsync(new Dictionary<string, string?>
        {
            [WorkflowServices.EnvironmentSetting] = "Production",
            ["Sms:ConnectionString"] = connectionString,
            ["Sms:FromNumber"] = from,
            ["Sms:LinkBaseUrl"] = "https://func-crisiscare-test.azurewebsites.net",
            ["CrisisCare:TriageResponseMinutes"] = "0.02",
            ["CrisisCare:TriageEscalationRepeatMinutes"] = "600",
            ["CrisisCare:CoordinatorPhone"] = Coordinator,
        }, _azurite, taskHub);

    private static async Task<JsonNode> HealthAsync(HttpClient client, string path)
    {
        var r = await client.GetAsync(path);
        r.StatusCode.Should().Be(HttpStatusCode.OK, "a degraded app still takes 111 calls");
        return JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
    }

    private static async Task<JsonObject> WaitForMessageAsync(TestHost host, string caseId, Func<JsonNode, bool> which)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonNode? body = null;
        while (DateTime.UtcNow < deadline)
        {
            body = await host.GetJsonAsStaffAsync($"/api/cases/{caseId}/messages", "coordinator");
            if (body["messages"]!.AsArray().FirstOrDefault(m => which(m!)) is JsonObject found) return found;
            await Task.Delay(200);
        }
        throw new TimeoutException($"No such text for {caseId}; seen {body?.ToJsonString()}");
    }

    [Fact]
    public async Task StartedWithSmsUnsetOutsideDevelopmentItTakes111CallsAndItsTextsWaitWithTheReason()
    {
        await using var host = await StartAsAzureAsync("");

        var health = await HealthAsync(host.Client, "/api/health");
        health["status"]!.GetValue<string>().Should().Be("degraded");
        health["reasons"]![0]!.GetValue<string>().Should().StartWith("SMS not configured: Sms__ConnectionString is not set");
        using var bare = new HttpClient { BaseAddress = host.App.BaseAddress };
        (await HealthAsync(bare, "/health")).ToJsonString().Should().Be(health.ToJsonString(), "the local /health answers as /api/health");

        var caseId = await host.OpenCaseAsync();
        // A text is 'sending' from its first write until the carrier's answer is recorded.
        var alert = await WaitForMessageAsync(host, caseId, m => m["body"]!.GetValue<string>().Contains("triage")
                                                                 && m["status"]!.GetValue<string>() != SmsStatus.Sending);

        alert["status"]!.GetValue<string>().Should().Be(SmsStatus.Waiting);
        alert["error"]!.GetValue<string>().Should().Contain("SMS is not configured").And.Contain("Sms__ConnectionString is not set");
        var c = await host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "triage-overdue"));
        c["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "triage-overdue")!["summary"]!.GetValue<string>()
            .Should().Contain("was not sent");
        // Nothing went to the local sink, which nothing in Azure reads.
        (await host.Services.GetRequiredService<LocalSmsSink>().OutboxAsync(tag: caseId)).Should().BeEmpty();
    }

    [Fact]
    public async Task ADeployWithAnAcsConnectionAndNoSenderYetStartsAndSaysSo()
    {
        // docs/deploy.md's first deploy: ACS made and its connection string in Key Vault, no number bought yet.
        await using var host = await StartAsAzureAsync("endpoint=https://acs-test.uk.communication.azure.com/;accesskey=c2VjcmV0", from: "");

        (await HealthAsync(host.Client, "/api/health"))["reasons"]![0]!.GetValue<string>().Should().Contain("Sms__FromNumber is empty");
        await host.OpenCaseAsync();
    }

    [Fact]
    public async Task WaitingTextsGoOnTheNextStartWithGoodSettingsExceptWhatIsNoLongerTrue()
    {
        var hca = "+447700900311";
        var family = "+447700900789";
        string caseId, hub;
        SmsMessage openOffer, expiredOffer, closedOffer, freshNews, staleNews;
        await using (var unconfigured = await StartAsAzureAsync(""))
        {
            hub = unconfigured.TaskHub;
            caseId = await unconfigured.OpenCaseAsync();
            await WaitForMessageAsync(unconfigured, caseId, m => m["status"]!.GetValue<string>() == SmsStatus.Waiting);

            var sms = unconfigured.Services.GetRequiredService<ISmsSender>();
            var codes = unconfigured.Services.GetRequiredService<ReplyCodes>();
            async Task<SmsMessage> OfferAsync(int n, TimeSpan expiresIn, bool close)
            {
                var route = new ReplyRoute($"{caseId}-dispatch-{n}", "HcaReply");
                var code = (await codes.IssueAsync(route, hca, DateTimeOffset.UtcNow + expiresIn, ReplyPurposes.HcaOffer, "test")).Code;
                if (close) await codes.CloseAsync(code);
                var offer = new SmsMessage($"{caseId}-offer-{n}", hca, SmsTemplates.HcaOffer("Jo", "DE22 3NE", code, 10, null, byReply: true), caseId, SmsAudience.Staff, route);
                await sms.SendAsync(offer);
                return offer;
            }
            openOffer = await OfferAsync(1, TimeSpan.FromHours(1), close: false);
            expiredOffer = await OfferAsync(2, -TimeSpan.FromMinutes(1), close: false);
            closedOffer = await OfferAsync(3, TimeSpan.FromHours(1), close: true);
            freshNews = new SmsMessage($"{caseId}-family-triaged", family, SmsTemplates.FamilyTriaged("Claire"), caseId, SmsAudience.Family);
            staleNews = new SmsMessage($"{caseId}-family-hca-on-way", family, SmsTemplates.FamilyTriaged("Claire"), caseId, SmsAudience.Family);
            await sms.SendAsync(freshNews);
            await sms.SendAsync(staleNews);
        }
        // The stale one was due two hours ago: SMS was down for longer than a family update stays true.
        var messages = new TableClient(_azurite.ConnectionString, TableNames.SmsMessages);
        var stale = (await messages.GetEntityAsync<SentMessage>(SentMessages.Key(staleNews.Id), SentMessage.Row)).Value;
        stale.HeldAt = DateTimeOffset.UtcNow.AddHours(-2);
        await messages.UpdateEntityAsync(stale, stale.ETag);

        await using var acs = await FakeAcs.StartAsync();
        await using var configured = await StartAsAzureAsync(acs.ConnectionString, taskHub: hub);
        (await HealthAsync(configured.Client, "/api/health"))["status"]!.GetValue<string>().Should().Be("healthy");
        var sent = configured.Services.GetRequiredService<SentMessages>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await sent.WaitingAsync()).Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(200);

        async Task<SentMessage> Row(SmsMessage m) => (await sent.FindAsync(m.Id))!;
        (await Row(openOffer)).Status.Should().Be(SmsStatus.Sent, "its code is still open: the HCA can still answer it");
        (await Row(freshNews)).Status.Should().Be(SmsStatus.Sent);
        foreach (var m in new[] { expiredOffer, closedOffer, staleNews })
            (await Row(m)).Should().BeEquivalentTo(new { Status = SmsStatus.Withdrawn }, o => o.ExcludingMissingMembers(), m.Id);
        (await Row(expiredOffer)).Error.Should().Contain("closed or expired");
        (await Row(staleNews)).Error.Should().Contain("too late to be news");

        // The coordinator's overdue-triage alert went, however late; nothing withdrawn went to ACS.
        var alert = await WaitForMessageAsync(configured, caseId, m => m["body"]!.GetValue<string>().Contains("triage")
                                                                       && m["status"]!.GetValue<string>() != SmsStatus.Sending);
        alert["status"]!.GetValue<string>().Should().Be(SmsStatus.Sent);
        acs.Attempts.Select(a => a.To).Should().BeEquivalentTo([Coordinator, hca, family]);
        acs.Attempts.Select(a => a.Message).Should().Contain(openOffer.Body).And.NotContain(expiredOffer.Body).And.NotContain(closedOffer.Body);
    }
}
