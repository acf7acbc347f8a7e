using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Ecss;
using Workflows.Messaging;

namespace Workflows.Tests.Ecss;

/// <summary>
/// The local host with its own ECSS team (so its roster, HCA bookings and handovers touch no other test), a known
/// roster on the shift now and the next, and the steps people take: refer to ECSS, answer an offer by SMS, record visits.
/// </summary>
public sealed partial class EcssHost : IAsyncDisposable
{
    public const string Coordinator = "+447700900001";
    /// <summary>The roster every test runs on: for a patient in DE22 the offers go to hca-01, then hca-04, then hca-07.</summary>
    public static readonly string[] OnShift = ["hca-07", "hca-04", "hca-01"];
    public static readonly Dictionary<string, string> Phones = Enumerable.Range(1, 9).ToDictionary(i => $"hca-{i:D2}", i => $"+4477009003{i:D2}");

    private EcssHost(TestHost host, string team)
    {
        Host = host;
        Team = team;
    }

    public TestHost Host { get; }
    public string Team { get; }
    public IServiceProvider Services => Host.Services;
    public Roster Roster => Services.GetRequiredService<Roster>();

    [GeneratedRegex(@"Reply YES (\w+)")]
    private static partial Regex OfferCode();

    [GeneratedRegex(@"/api/pages/hca\.html\?offer=([a-z2-7]+)$")]
    private static partial Regex OfferLink();

    /// <summary>A host with its own ECSS team, or <paramref name="team"/>'s on <paramref name="taskHub"/> (a host started again).</summary>
    public static async Task<EcssHost> StartAsync(IDictionary<string, string?>? settings = null, bool faults = false,
        string? team = null, string? taskHub = null, Action<IServiceCollection>? services = null, Azurite? azurite = null)
    {
        team ??= "t" + Guid.NewGuid().ToString("N")[..12];
        var all = new Dictionary<string, string?>
        {
            ["Ecss:Team"] = team,
            ["Ecss:OfferTimeoutMinutes"] = "2",
            ["Ecss:RetryIntervalMinutes"] = "2",
            ["CrisisCare:CoordinatorPhone"] = Coordinator,
            ["LocalHost:HandoverPollSeconds"] = "0",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        var host = await TestHost.StartAsync(all, azurite, taskHub: taskHub, faults: faults, services: services);
        var ecss = new EcssHost(host, team);
        // The shift on now and the next both get the test's roster, so a test running across 08:00 or 20:00 sees the same HCAs.
        var now = Shift.At(DateTimeOffset.UtcNow);
        foreach (var shift in new[] { now, now.Next })
            await ecss.Roster.SetShiftAsync(shift, OnShift, "test", DateTimeOffset.UtcNow);
        return ecss;
    }

    /// <summary>A 111 call the ANP triages to ECSS; returns the case id once the first offer is out.</summary>
    public async Task<string> ReferToEcssAsync(Action<JsonObject>? call = null)
    {
        var caseId = await Host.OpenCaseAsync(Calls.Valid(change: call));
        await Host.WaitForCaseAsync(caseId, c => Has(c, "case-opened"));
        var triage = await Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/triage", "anp",
            new { outcome = "ecss", notes = "Daughter exhausted; needs personal care tonight" });
        triage.EnsureSuccessStatusCode();
        return caseId;
    }

    /// <summary>Waits until <paramref name="hcaId"/> has been offered the case <paramref name="nth"/> time(s); returns the latest code.</summary>
    public Task<string> OfferCodeAsync(string caseId, string hcaId, int nth = 1) => FromOfferTextAsync(caseId, hcaId, nth, OfferCode());

    /// <summary>As <see cref="OfferCodeAsync"/>, the id in the offer text's link (the offer the HCA page opens at).</summary>
    public Task<string> OfferLinkAsync(string caseId, string hcaId, int nth = 1) => FromOfferTextAsync(caseId, hcaId, nth, OfferLink());

    private async Task<string> FromOfferTextAsync(string caseId, string hcaId, int nth, Regex find)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var offers = (await TextsAsync(caseId)).Where(t => t.To == Phones[hcaId]).Select(t => find.Match(t.Message))
                .Where(m => m.Success).ToList();
            if (offers.Count >= nth) return offers[0].Groups[1].Value;
            await Task.Delay(200);
        }
        var seen = await Host.GetJsonAsStaffAsync($"/api/cases/{caseId}", "coordinator");
        throw new TimeoutException($"{hcaId} was not offered case {caseId} {nth} time(s); engine: {await EngineAsync(caseId)}; the case: {seen.ToJsonString()}");
    }

    /// <summary>The HCA signed in on the HCA page, answering the offer its link opened: "accept" or "decline".</summary>
    public Task<HttpResponseMessage> AnswerFromLinkAsync(string offerId, string hcaId, string answer) =>
        Host.SendAsStaffAsync(HttpMethod.Post, $"/api/ecss/offers/{offerId}/answer", "hca", new { answer }, userId: hcaId);

    /// <summary>An HCA's text reply, as ACS delivers it through Event Grid to POST /api/sms/inbound.</summary>
    public async Task ReplyAsync(string hcaId, string text)
    {
        var r = await Host.Client.PostAsync("/api/sms/inbound", new StringContent(InboundSms(hcaId, text), Encoding.UTF8, "application/json"));
        r.EnsureSuccessStatusCode();
    }

    /// <summary>The Event Grid SMSReceived delivery ACS makes when an HCA texts <paramref name="text"/>.</summary>
    public static string InboundSms(string hcaId, string text) => SmsReceivedEvent.From(Phones[hcaId], text);

    public Task<HttpResponseMessage> RecordVisitAsync(string caseId, string hcaId, DateTimeOffset arrivedAt, string[] care, string notes = "") =>
        Host.SendAsStaffAsync(HttpMethod.Post, $"/api/cases/{caseId}/visits", "hca",
            new { arrivedAt = arrivedAt.ToString("O"), leftAt = arrivedAt.AddMinutes(45).ToString("O"), care, notes }, userId: hcaId);

    /// <summary>Every text the case sent, newest first (read from the local sink, tagged with the case id).</summary>
    public async Task<IReadOnlyList<OutboxEntry>> TextsAsync(string caseId) =>
        await Services.GetRequiredService<LocalSmsSink>().OutboxAsync(take: 1000, tag: caseId);

    public async Task<JsonNode> WaitForCaseAsync(string caseId, Func<JsonNode, bool> until, int seconds = 60)
    {
        try { return await Host.WaitForCaseAsync(caseId, until, TimeSpan.FromSeconds(seconds)); }
        catch (TimeoutException e) { throw new TimeoutException($"{e.Message}; engine: {await EngineAsync(caseId)}", e); }
    }

    /// <summary>How the case's orchestration and its dispatch rounds stand, for a failing test's message.</summary>
    private async Task<string> EngineAsync(string caseId)
    {
        var client = Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>();
        var ids = new[] { caseId }.Concat(Enumerable.Range(1, 3).Select(r => HcaDispatchWorkflow.InstanceId(caseId, r)));
        var states = new List<string>();
        foreach (var id in ids)
            if (await client.GetInstanceAsync(id, getInputsAndOutputs: true) is { } i)
                states.Add($"{id}: {i.RuntimeStatus} {i.FailureDetails} out={i.SerializedOutput}");
        return string.Join("; ", states);
    }

    public static bool Has(JsonNode c, string kind, int count = 1) => Count(c, kind) >= count;

    public static int Count(JsonNode c, string kind) => c["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == kind);

    public static string Status(JsonNode c) => c["status"]!.GetValue<string>();

    public static string? AssignedHca(JsonNode c) => c["assignedHca"]?.GetValue<string>();

    public static IEnumerable<string> Kinds(JsonNode c) => c["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>());

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
