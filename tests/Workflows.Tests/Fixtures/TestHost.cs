using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Http;
using Workflows.LocalHost;

namespace Workflows.Tests.Fixtures;

/// <summary>
/// The local host started in-process on a free port, over Azurite, with its own task hub so test classes
/// do not share orchestrations. Settings can be overridden (short timers, an SMS endpoint...).
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string FunctionsKey = "test-functions-key";
    public const string IntakeSecret = "test-intake-secret";

    private TestHost(LocalHostApp app, Azurite azurite, string hub)
    {
        App = app;
        Azurite = azurite;
        TaskHub = hub;
        Client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("x-functions-key", FunctionsKey);
    }

    public LocalHostApp App { get; }
    public Azurite Azurite { get; }
    public string TaskHub { get; }
    /// <summary>Sends the app key on every request.</summary>
    public HttpClient Client { get; }
    public IServiceProvider Services => App.Services;

    /// <summary>The durable client the routes use, when the host was started with faults.</summary>
    public FaultyDurableTaskClient Faults => Services.GetRequiredService<FaultyDurableTaskClient>();

    /// <param name="faults">Puts a <see cref="FaultyDurableTaskClient"/> in front of the durable client, for tests that fail its calls.</param>
    public static async Task<TestHost> StartAsync(IDictionary<string, string?>? settings = null, Azurite? azurite = null, string? taskHub = null,
        bool faults = false)
    {
        azurite ??= await Azurite.Shared;
        var hub = taskHub ?? "t" + Guid.NewGuid().ToString("N")[..12];
        var all = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DataStorage"] = azurite.ConnectionString,
            ["TaskHubName"] = hub,
            // The hosts share one Azurite's data store: each needs its own queue of case starts.
            ["CaseStartQueue"] = $"case-starts-{hub.ToLowerInvariant()}",
            ["LocalHost:Urls"] = "http://127.0.0.1:0",
            ["LocalHost:FunctionsKey"] = FunctionsKey,
            ["LocalHost:Partitions"] = "2",
            ["LocalHost:WorkerId"] = hub,
            ["Intake:Secret"] = IntakeSecret,
            ["Intake:SecretPrevious"] = "",
            ["LocalHost:SeedsPath"] = Path.Combine(RepoRoot.Path, "seeds"),
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        var app = await LocalHostApp.StartAsync(all, services: faults ? FaultyDurableTaskClient.Install : null);
        return new TestHost(app, azurite, hub);
    }

    public static string Principal(string role, string userId = "", string? name = null) =>
        StaffPrincipal.Encode(userId.Length > 0 ? userId : $"{role}-user", name ?? $"Test {role}", role);

    /// <summary>A request as a member of staff with <paramref name="role"/>.</summary>
    public HttpRequestMessage AsStaff(HttpMethod method, string path, string role, object? body = null, string? userId = null)
    {
        var r = new HttpRequestMessage(method, path);
        r.Headers.Add(StaffPrincipal.Header, Principal(role, userId ?? ""));
        if (body is not null) r.Content = JsonContent.Create(body, options: Json.Options);
        return r;
    }

    public async Task<HttpResponseMessage> SendAsStaffAsync(HttpMethod method, string path, string role, object? body = null, string? userId = null) =>
        await Client.SendAsync(AsStaff(method, path, role, body, userId));

    public async Task<JsonNode> GetJsonAsStaffAsync(string path, string role = "anp")
    {
        var r = await SendAsStaffAsync(HttpMethod.Get, path, role);
        r.EnsureSuccessStatusCode();
        return JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
    }

    /// <summary>POSTs a 111 call signed as the 111 system signs it.</summary>
    public async Task<HttpResponseMessage> PostCallAsync(string json, string? secret = null, DateTimeOffset? signedAt = null)
    {
        var raw = Encoding.UTF8.GetBytes(json);
        var (ts, sig) = WebhookSignature.Sign(secret ?? IntakeSecret, raw, signedAt ?? DateTimeOffset.UtcNow);
        var r = new HttpRequestMessage(HttpMethod.Post, "/api/intake/111") { Content = new ByteArrayContent(raw) };
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        r.Headers.Add(WebhookSignature.TimestampHeader, ts);
        r.Headers.Add(WebhookSignature.SignatureHeader, sig);
        return await Client.SendAsync(r);
    }

    /// <summary>Posts a call and returns its case id, failing the test on anything but 202.</summary>
    public async Task<string> OpenCaseAsync(string? json = null)
    {
        var r = await PostCallAsync(json ?? Calls.Valid());
        var text = await r.Content.ReadAsStringAsync();
        ((int)r.StatusCode).Should().Be(202, text);
        return JsonNode.Parse(text)!["caseId"]!.GetValue<string>();
    }

    /// <summary>Polls the case until <paramref name="until"/> holds (orchestrations run asynchronously).</summary>
    public async Task<JsonNode> WaitForCaseAsync(string caseId, Func<JsonNode, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var r = await SendAsStaffAsync(HttpMethod.Get, $"/api/cases/{caseId}", "coordinator");
            if (r.IsSuccessStatusCode)
            {
                last = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
                if (until(last)) return last;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Case {caseId} did not reach the expected state; last seen: {last?.ToJsonString()}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>111 call bodies for tests: a valid call with fresh ids, and ways to spoil it.</summary>
public static class Calls
{
    public static string Valid(string? callId = null, DateTimeOffset? receivedAt = null, Action<JsonObject>? change = null)
    {
        var call = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "calls", "breathless-syringe-driver.json")))!.AsObject();
        call["callId"] = callId ?? $"111-test-{Guid.NewGuid():N}";
        call["receivedAt"] = (receivedAt ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-ddTHH:mm:sszzz");
        change?.Invoke(call);
        return call.ToJsonString();
    }
}
