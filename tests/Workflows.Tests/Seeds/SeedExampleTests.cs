using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Workflows.Tests.Seeds;

/// <summary>
/// The examples README tells a newcomer to send (seeds/calls, seeds/bars) go through `node seeds/send.mjs` whatever the
/// date they were written on: the sender moves their times to now, so a week-old example is not refused as stale.
/// </summary>
public sealed class SeedExampleTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> Calls() =>
        [.. Directory.GetFiles(Path.Combine(RepoRoot.Path, "seeds", "calls"), "*.json").Select(Path.GetFileName).Order()!];

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task EveryExampleCallOpensACase(string file)
    {
        var (code, output) = await SendAsync(Path.Combine("seeds", "calls", file));

        code.Should().Be(0, output);
        output.Should().StartWith("202");
        await _host.WaitForCaseAsync(CaseIdIn(output, "caseId"), c => c["status"]!.GetValue<string>() == "awaiting-triage");
    }

    [Fact]
    public async Task TheBarsExamplesOpenUpdateAndCancelOneCase()
    {
        var (code, output) = await SendAsync("seeds/bars/new-referral.json");
        code.Should().Be(0, output);
        var caseId = JsonNode.Parse(output[output.IndexOf('{')..])!["entry"]!.AsArray()
            .Select(e => e!["resource"]!).First(r => r["resourceType"]!.GetValue<string>() == "ServiceRequest")["id"]!.GetValue<string>();
        await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "awaiting-triage");

        (code, output) = await SendAsync("seeds/bars/update-callback-number.json");
        code.Should().Be(0, output);
        await _host.WaitForCaseAsync(caseId, c => c["timeline"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "referral-updated"));

        (code, output) = await SendAsync("seeds/bars/cancel-referral.json");
        code.Should().Be(0, output);
        var closed = await _host.WaitForCaseAsync(caseId, c => c["status"]!.GetValue<string>() == "closed", TimeSpan.FromSeconds(60));
        closed["closed"]!["reason"]!.GetValue<string>().Should().Be("cancelled");
    }

    /// <summary>Runs the sender from outside the repository, with the test host's URL, key and secret in its environment.</summary>
    private async Task<(int Code, string Output)> SendAsync(string example)
    {
        var start = new ProcessStartInfo("node", [Path.Combine(RepoRoot.Path, "seeds", "send.mjs"), example, "--url", _host.App.BaseAddress.ToString()])
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["LocalHost__FunctionsKey"] = TestHost.FunctionsKey;
        start.Environment["Intake__Secret"] = TestHost.IntakeSecret;
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (node.ExitCode, (await stdout) + (await stderr));
    }

    private static string CaseIdIn(string output, string field) => JsonNode.Parse(output[output.IndexOf('{')..])![field]!.GetValue<string>();
}
