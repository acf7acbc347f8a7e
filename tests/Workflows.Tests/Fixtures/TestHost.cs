using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Http;
using Workflows.LocalHost;
using Workflows.Staff;

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
        Client = NewClient();
        Client.DefaultRequestHeaders.Add("x-functions-key", FunctionsKey);
    }

    /// <summary>A client of this host with no default headers; every answer it gets is checked against the HTTP contract.</summary>
    public HttpClient NewClient(bool followRedirects = true) =>
        new(new Contract.ContractCheck(new SocketsHttpHandler { AllowAutoRedirect = followRedirects },
            () => Services.GetService<FaultyDurableTaskClient>() is { Thrown: > 0 }))
        {
            BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(60),
        };

    public LocalHostApp App { get; }
    public Azurite Azurite { get; }
    public string TaskHub { get; }
    /// <summary>Sends the app key on every request.</summary>
    public HttpClient Client { get; }
    public IServiceProvider Services => App.Services;

    /// <summary>The durable client the routes use, when the host was started with faults.</summary>
    public FaultyDurableTaskClient Faults => Services.GetRequiredService<FaultyDurableTaskClient>();

    /// <summary>
    /// Starts a host. With <paramref name="createTestUsers"/> (the default) each role's test user gets a staff record
    /// holding the role; without, the directory holds only what the seeds and settings put there. A <paramref name="clock"/>
    /// is the host's time (<see cref="ShiftedClock"/>: a test about a date sets the date it needs, never relies on today's).
    /// </summary>
    /// <param name="faults">Puts a <see cref="FaultyDurableTaskClient"/> in front of the durable client, for tests that fail its calls.</param>
    /// <param name="services">Changes the registrations last (e.g. the app as it was before orchestration versioning).</param>
    public static async Task<TestHost> StartAsync(IDictionary<string, string?>? settings = null, Azurite? azurite = null, string? taskHub = null,
        bool createTestUsers = true, TimeProvider? clock = null, bool faults = false, Action<IServiceCollection>? services = null)
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
        var app = await LocalHostApp.StartAsync(all, services: s =>
        {
            if (clock is not null) s.AddSingleton(clock);
            if (faults) FaultyDurableTaskClient.Install(s);
            services?.Invoke(s);
        });
        var host = new TestHost(app, azurite, hub);
        // A host brings its store up to date in the background (StoreUpgrades): a test starts once that has finished,
        // so what it reads or compares of the tables is not changed under it by the upgrade's own writes.
        if (host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Workflows.Storage.StoreUpgrades>().SingleOrDefault()?.ExecuteTask is { } upgrading)
            await upgrading;
        // Whoever a test signs in as by default (Principal(role)) has a staff record holding that role, as in a real deployment.
        if (createTestUsers)
            foreach (var role in Roles.All) await host.EnsureStaffAsync(DefaultUser(role), role);
        return host;
    }

    public static string DefaultUser(string role) => $"{role}-user";

    /// <summary>A principal header for the sign-in id <paramref name="userId"/> (default: the role's test user), carrying <paramref name="role"/>.</summary>
    public static string Principal(string role, string userId = "", string? name = null) =>
        StaffPrincipal.Encode(userId.Length > 0 ? userId : DefaultUser(role), name ?? $"Test {role}", role);

    private readonly ConcurrentDictionary<(string, string), Task> _linked = new();

    /// <summary>
    /// Makes sure the staff record <paramref name="staffId"/>, linked to the sign-in id of the same name, holds
    /// <paramref name="role"/> (<see cref="StaffRecords.EnsureAsync"/>), so a test that signs in as someone acts as that person.
    /// </summary>
    public Task EnsureStaffAsync(string staffId, string role) =>
        _linked.GetOrAdd((staffId, role), k => StaffRecords.EnsureAsync(Services.GetRequiredService<StaffDirectory>(), k.Item1, k.Item2, $"Test {k.Item2}"));

    /// <summary>A request as a member of staff with <paramref name="role"/> (their record: <see cref="EnsureStaffAsync"/>).</summary>
    public async Task<HttpRequestMessage> AsStaffAsync(HttpMethod method, string path, string role, object? body = null, string? userId = null)
    {
        await EnsureStaffAsync(userId ?? DefaultUser(role), role);
        var r = new HttpRequestMessage(method, path);
        r.Headers.Add(StaffPrincipal.Header, Principal(role, userId ?? ""));
        if (body is not null) r.Content = JsonContent.Create(body, options: Workflows.Http.Json.Options);
        return r;
    }

    /// <summary>
    /// Sends as a member of staff, as the pages do: a 503 ("try again shortly": a case or referral opened a moment ago
    /// has not started yet, H18) is sent again, for up to 90 s, as the contract asks of every caller. To see a 503, use
    /// <see cref="Client"/> with <see cref="AsStaffAsync"/>.
    /// </summary>
    public Task<HttpResponseMessage> SendAsStaffAsync(HttpMethod method, string path, string role, object? body = null, string? userId = null) =>
        SendUntilStartedAsync(() => AsStaffAsync(method, path, role, body, userId));

    /// <summary>Sends a fresh request from <paramref name="make"/> again while the answer is 503 "try again shortly", for up to 90 s.</summary>
    private async Task<HttpResponseMessage> SendUntilStartedAsync(Func<Task<HttpRequestMessage>> make)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var answer = await Client.SendAsync(await make());
            if (answer.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > until) return answer;
            answer.Dispose();
            await Task.Delay(500);
        }
    }

    /// <summary>
    /// X-MS-CLIENT-PRINCIPAL as App Service Authentication writes it for an Entra ID sign-in: claims, among them the
    /// object id, the name and the app roles.
    /// </summary>
    public static string EntraPrincipal(string objectId, string name, params string[] roles)
    {
        const string roleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
        var claims = new List<object>
        {
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId },
            new { typ = "name", val = name },
            new { typ = "preferred_username", val = "someone@nhs.net" },
            new { typ = "http://schemas.microsoft.com/identity/claims/tenantid", val = "72f988bf-86f1-41af-91ab-2d7cd011db47" },
        };
        claims.AddRange(roles.Select(r => new { typ = "roles", val = r }));
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", claims, name_typ = "name", role_typ = roleType });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>A request with the app key and exactly this principal header (no staff record is made for it).</summary>
    public Task<HttpResponseMessage> SendAsAsync(HttpMethod method, string path, string principal, object? body = null) =>
        SendUntilStartedAsync(() =>
        {
            var r = new HttpRequestMessage(method, path);
            r.Headers.Add(StaffPrincipal.Header, principal);
            if (body is not null) r.Content = JsonContent.Create(body, options: Workflows.Http.Json.Options);
            return Task.FromResult(r);
        });

    public async Task<JsonNode> GetJsonAsStaffAsync(string path, string role = "anp", string? userId = null)
    {
        var r = await SendAsStaffAsync(HttpMethod.Get, path, role, userId: userId);
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

/// <summary>A clock that starts at a chosen instant and runs on from it at the real rate.</summary>
public sealed class ShiftedClock(DateTimeOffset startsAt) : TimeProvider
{
    private readonly DateTimeOffset _realStart = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => startsAt + (DateTimeOffset.UtcNow - _realStart);
}
