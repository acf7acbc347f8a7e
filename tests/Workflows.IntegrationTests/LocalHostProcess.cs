using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.Http;
using Workflows.Tests.Fixtures;

namespace Workflows.IntegrationTests;

/// <summary>The built local host run as its own process, as `run-local.sh` runs it, so a test can kill it outright.</summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    public const string FunctionsKey = "it-functions-key";
    public const string IntakeSecret = "it-intake-secret";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LocalHostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Add("x-functions-key", FunctionsKey);
    }

    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<LocalHostProcess> StartAsync(Azurite azurite, string taskHub, int port, IDictionary<string, string>? settings = null)
    {
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(RepoRoot.Path, "functions", "Workflows.LocalHost", "bin", config, "net10.0", "Workflows.LocalHost.dll");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoRoot.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        var env = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DataStorage"] = azurite.ConnectionString,
            ["TaskHubName"] = taskHub,
            ["CaseStartQueue"] = $"case-starts-{taskHub.ToLowerInvariant()}",
            ["LocalHost__Urls"] = $"http://127.0.0.1:{port}",
            ["LocalHost__FunctionsKey"] = FunctionsKey,
            ["LocalHost__WorkerId"] = taskHub,
            ["LocalHost__Partitions"] = "2",
            ["Intake__Secret"] = IntakeSecret,
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) env[k] = v;
        foreach (var (k, v) in env) psi.Environment[k] = v;

        var process = Process.Start(psi)!;
        var host = new LocalHostProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host.WaitUntilHealthyAsync();
        return host;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The local host exited ({_process.ExitCode}):\n{Output}");
            try
            {
                if ((await Client.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The local host did not become healthy:\n{Output}");
    }

    public async Task<HttpResponseMessage> PostCallAsync(string json)
    {
        var raw = Encoding.UTF8.GetBytes(json);
        var (ts, sig) = WebhookSignature.Sign(IntakeSecret, raw, DateTimeOffset.UtcNow);
        var r = new HttpRequestMessage(HttpMethod.Post, "/api/intake/111") { Content = new ByteArrayContent(raw) };
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        r.Headers.Add(WebhookSignature.TimestampHeader, ts);
        r.Headers.Add(WebhookSignature.SignatureHeader, sig);
        return await Client.SendAsync(r);
    }

    /// <summary>Who acts for each role unless a test names someone: a person in seeds/staff.json holding it (as on the sign-in page).</summary>
    public static readonly IReadOnlyDictionary<string, string> SeededStaff = new Dictionary<string, string>
    {
        ["anp"] = "anp-1", ["hca"] = "hca-01", ["coordinator"] = "coord-1", ["dd-officer"] = "dd-rdh-officer-1",
        ["dd-manager"] = "dd-rdh-manager", ["reporting"] = "rep-1", ["community"] = "comm-1", ["volunteer"] = "vol-01", ["admin"] = "admin-1",
    };

    public async Task<HttpResponseMessage> SendAsStaffAsync(HttpMethod method, string path, string role, string? json = null, string? userId = null)
    {
        var r = new HttpRequestMessage(method, path);
        r.Headers.Add(StaffPrincipal.Header, StaffPrincipal.Encode(userId ?? SeededStaff[role], $"Test {role}", role));
        if (json is not null) r.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await Client.SendAsync(r);
    }

    /// <summary>
    /// A decision sent as a client sends it after a restart: while the case's orchestration has not started again it
    /// answers 503 "try again" (H18), so try again, for up to <paramref name="patience"/>.
    /// </summary>
    public async Task<HttpResponseMessage> DecideAsStaffAsync(string path, string role, string json, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        HttpResponseMessage answer;
        while ((answer = await SendAsStaffAsync(HttpMethod.Post, path, role, json)).StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < until)
            await Task.Delay(1000);
        return answer;
    }

    public async Task<JsonNode> WaitForCaseAsync(string caseId, Func<JsonNode, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var r = await SendAsStaffAsync(HttpMethod.Get, $"/api/cases/{caseId}", "coordinator");
            if (r.IsSuccessStatusCode)
            {
                last = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
                if (until(last)) return last;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Case {caseId} did not reach the expected state; last seen: {last?.ToJsonString()}\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, as when a machine dies.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
