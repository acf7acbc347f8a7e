using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Http;
using Workflows.LocalHost;
using Workflows.Staff;
using Workflows.Tests.Fixtures;

namespace Workflows.Benchmarks;

/// <summary>
/// One scenario's world: a private Azurite in a temp folder and the local host in-process on a free loopback
/// port, so no scenario inherits another's backlog of orchestrations.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    public const string FunctionsKey = "bench-functions-key";
    public const string IntakeSecret = "bench-intake-secret";

    private BenchHost(Azurite azurite, Azurite data, LocalHostApp app, string taskHub)
    {
        Azurite = azurite;
        DataAzurite = data;
        App = app;
        TaskHub = taskHub;
        // Bounded like a real caller's connection pool: past it, calls queue here (their wait still counts as
        // latency) instead of opening thousands of sockets, which exhausted memory at 500 calls/s.
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = app.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        Client.DefaultRequestHeaders.Add("x-functions-key", FunctionsKey);
    }

    /// <summary>The task hub's storage (AzureWebJobsStorage).</summary>
    public Azurite Azurite { get; }
    /// <summary>The app's tables and case-starts queue (DataStorage), as run-local.sh runs them: a second Azurite.</summary>
    public Azurite DataAzurite { get; }
    public IReadOnlyList<int> AzuriteProcessIds => [.. Azurite.ProcessIds, .. DataAzurite.ProcessIds];
    public LocalHostApp App { get; }
    public string TaskHub { get; }
    public HttpClient Client { get; }

    /// <summary>
    /// The task hub's Azurite at lower CPU priority and the data store's at normal, as run-local.sh starts them;
    /// <paramref name="dataInMemory"/> runs the data store without its save to disk every 5 s (<c>--data-in-memory</c>).
    /// </summary>
    public static async Task<BenchHost> StartAsync(IReadOnlyDictionary<string, string?> overrides, bool dataInMemory = false)
    {
        var azurite = await Azurite.StartAsync(background: true);
        var data = await Azurite.StartAsync(blob: false, inMemory: dataInMemory);
        var hub = "bench" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DataStorage"] = data.ConnectionString,
            ["TaskHubName"] = hub,
            ["LocalHost:Urls"] = "http://127.0.0.1:0",
            ["LocalHost:FunctionsKey"] = FunctionsKey,
            ["LocalHost:WorkerId"] = hub,
            ["LocalHost:SeedsPath"] = Path.Combine(RepoRoot.Path, "seeds"),
            ["Intake:Secret"] = IntakeSecret,
            ["Intake:SecretPrevious"] = "",
            // The host logs every request at Information: that is console I/O on the cores being measured.
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in overrides) settings[k] = v;
        try
        {
            var app = await LocalHostApp.StartAsync(settings);
            return new BenchHost(azurite, data, app, hub);
        }
        catch
        {
            await azurite.DisposeAsync();
            await data.DisposeAsync();
            throw;
        }
    }

    /// <summary>A 111 call as the 111 system sends it: the body, with headers signed now.</summary>
    public static HttpRequestMessage SignedCall(byte[] body)
    {
        var (ts, sig) = WebhookSignature.Sign(IntakeSecret, body, DateTimeOffset.UtcNow);
        var r = new HttpRequestMessage(HttpMethod.Post, "/api/intake/111") { Content = new ByteArrayContent(body) };
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        r.Headers.Add(WebhookSignature.TimestampHeader, ts);
        r.Headers.Add(WebhookSignature.SignatureHeader, sig);
        return r;
    }

    /// <summary>A palliative call with a fresh call id, from the seed call.</summary>
    public static byte[] CallBody(string callId)
    {
        var call = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "calls", "breathless-syringe-driver.json")))!.AsObject();
        call["callId"] = callId;
        call["receivedAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:sszzz");
        return Encoding.UTF8.GetBytes(call.ToJsonString());
    }

    private readonly ConcurrentDictionary<(string, string), Task> _linked = new();

    /// <summary>As a member of staff with <paramref name="role"/>, whose staff record is made first (before the clock starts, in practice).</summary>
    public async Task<HttpResponseMessage> SendAsStaffAsync(HttpMethod method, string path, string role, object? body = null, string? userId = null)
    {
        await _linked.GetOrAdd((userId ?? $"bench-{role}", role),
            k => StaffRecords.EnsureAsync(App.Services.GetRequiredService<StaffDirectory>(), k.Item1, k.Item2, $"Bench {k.Item2}"));
        var r = new HttpRequestMessage(method, path);
        r.Headers.Add(StaffPrincipal.Header, StaffPrincipal.Encode(userId ?? $"bench-{role}", $"Bench {role}", role));
        if (body is not null) r.Content = JsonContent.Create(body, options: Json.Options);
        return await Client.SendAsync(r);
    }

    /// <summary>Sends and fails the scenario on anything but <paramref name="expected"/>.</summary>
    public static async Task<JsonNode> ExpectAsync(Task<HttpResponseMessage> send, int expected, string what)
    {
        using var response = await send;
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != expected)
            throw new InvalidOperationException($"{what}: expected {expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        foreach (var azurite in new[] { Azurite, DataAzurite })
        {
            await azurite.DisposeAsync();
            try { Directory.Delete(azurite.Location, recursive: true); } catch (IOException) { }
        }
    }
}
