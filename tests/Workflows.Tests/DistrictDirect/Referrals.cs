using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Workflows.DistrictDirect;
using Workflows.Messaging;

namespace Workflows.Tests.DistrictDirect;

/// <summary>District Direct referral bodies and the calls the flow tests make, over a <see cref="TestHost"/>.</summary>
public static class Referrals
{
    public const string Officer = "dd-rdh-officer-1";
    public const string OfficerPhone = "+447700900601";
    public const string ManagerPhone = "+447700900650";

    /// <summary>A valid referral from a Royal Derby ward, fit for discharge at 10:00 UK time <paramref name="fitDaysAgo"/> days ago.</summary>
    public static JsonObject Body(string? referralId = null, string[]? blockers = null, int fitDaysAgo = 0, string postcode = "DE22 3NE")
    {
        var today = SystemClock.Instance.GetCurrentInstant().InZone(WorkingDay.UkTime).Date;
        var fit = (today.PlusDays(-fitDaysAgo) + new LocalTime(10, 0)).InZoneLeniently(WorkingDay.UkTime).ToDateTimeOffset();
        if (fit > DateTimeOffset.UtcNow) fit = DateTimeOffset.UtcNow.AddMinutes(-1);
        return new JsonObject
        {
            ["referralId"] = referralId ?? $"RDH-{Guid.NewGuid():N}"[..20],
            ["source"] = "ward",
            ["hospital"] = "royal-derby",
            ["patient"] = new JsonObject
            {
                ["nhsNumber"] = "9434765919", ["name"] = "Edith Turner", ["dateOfBirth"] = "1938-06-14",
                ["address"] = "12 Station Road, Mickleover, Derby", ["postcode"] = postcode,
            },
            ["blockers"] = new JsonArray((blockers ?? ["clutter", "key-safe"]).Select(b => (JsonNode)b!).ToArray()),
            ["fitForDischargeAt"] = fit.ToString("yyyy-MM-ddTHH:mm:sszzz"),
        };
    }

    public static async Task<HttpResponseMessage> SubmitAsync(this TestHost host, JsonObject body) =>
        await host.Client.PostAsync("/api/district-direct/referrals",
            new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Submits a referral and returns its id, failing the test on anything but 202.</summary>
    public static async Task<string> ReferAsync(this TestHost host, JsonObject? body = null)
    {
        body ??= Body();
        var r = await host.SubmitAsync(body);
        var text = await r.Content.ReadAsStringAsync();
        ((int)r.StatusCode).Should().Be(202, text);
        return JsonNode.Parse(text)!["referralId"]!.GetValue<string>();
    }

    /// <summary>Records an assessment by the Royal Derby officer and returns the spend request ids.</summary>
    public static async Task<List<string>> AssessAsync(this TestHost host, string referralId, params (string Item, long Pence, string Supplier)[] spend)
    {
        var r = await host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/referrals/{referralId}/assessment", "dd-officer",
            new { findings = "Hoarded papers block the stairs; no key safe for carers.", spend = spend.Select(s => new { item = s.Item, amountPence = s.Pence, supplier = s.Supplier }) },
            Officer);
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.Should().Be(HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!["spendRequests"]!.AsArray().Select(s => s!["spendRequestId"]!.GetValue<string>()).ToList();
    }

    public static Task<HttpResponseMessage> DecideAsync(this TestHost host, string spendRequestId, string decision, string role = "dd-officer",
        string? reason = null, string userId = Officer) =>
        host.SendAsStaffAsync(HttpMethod.Post, $"/api/district-direct/spend-requests/{spendRequestId}/decision", role,
            new { decision, reason }, userId);

    public static async Task<JsonNode> ReferralAsync(this TestHost host, string referralId) =>
        await host.GetJsonAsStaffAsync($"/api/district-direct/referrals/{referralId}", "dd-manager");

    public static async Task<FundBalance> FundAsync(this TestHost host)
    {
        var json = await host.GetJsonAsStaffAsync("/api/district-direct/fund", "reporting");
        return json.Deserialize<FundBalance>(Workflows.Http.Json.Options)!;
    }

    /// <summary>Polls the referral until <paramref name="until"/> holds (its orchestration runs asynchronously).</summary>
    public static async Task<JsonNode> WaitForReferralAsync(this TestHost host, string referralId, Func<JsonNode, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(45));
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await host.ReferralAsync(referralId);
            if (until(last)) return last;
            await Task.Delay(150);
        }
        throw new TimeoutException($"Referral {referralId} did not reach the expected state; last seen: {last?.ToJsonString()}");
    }

    public static bool Has(JsonNode referral, string kind) =>
        referral["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == kind);

    public static string Status(JsonNode referral) => referral["status"]!.GetValue<string>();

    /// <summary>Texts the local sink took for a referral.</summary>
    public static async Task<IReadOnlyList<OutboxEntry>> TextsAsync(this TestHost host, string referralId) =>
        await host.Services.GetRequiredService<LocalSmsSink>().OutboxAsync(1_000, tag: ReferralRecord.InstanceIdFor(referralId));

    public static async Task<OrchestrationMetadata?> InstanceAsync(this TestHost host, string referralId) =>
        await host.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(ReferralRecord.InstanceIdFor(referralId));
}
