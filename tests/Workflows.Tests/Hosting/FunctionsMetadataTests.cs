using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace Workflows.Tests.Hosting;

/// <summary>
/// The Functions app and the local host must be the same system: every route the local host serves is declared
/// by the Functions app with the same method and app-key auth, and every orchestrator and activity is declared
/// with its trigger. Read from the functions.metadata the Functions SDK writes at build.
/// </summary>
public sealed class FunctionsMetadataTests : IAsyncLifetime
{
    /// <summary>Routes only the local host serves (its /health outside /api answers as /api/health, which both serve).</summary>
    private static readonly string[] LocalOnly = ["dev/"];

    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    internal static IReadOnlyList<JsonNode> Functions()
    {
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var file = Path.Combine(RepoRoot.Path, "functions", "Workflows.Functions", "bin", config, "net10.0", "functions.metadata");
        File.Exists(file).Should().BeTrue($"the Functions app is built before the tests ({file})");
        return JsonNode.Parse(File.ReadAllText(file))!.AsArray().Select(f => f!).ToList();
    }

    private static IEnumerable<JsonNode> Bindings(JsonNode function) => function["bindings"]!.AsArray().Select(b => b!);

    private static string? Trigger(JsonNode f) =>
        Bindings(f).Select(b => b["type"]!.GetValue<string>()).FirstOrDefault(t => t.EndsWith("Trigger", StringComparison.Ordinal));

    private IEnumerable<(string Method, string Route)> LocalHostRoutes() =>
        _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m =>
                (m.ToLowerInvariant(), e.RoutePattern.RawText!.TrimStart('/'))))
            .Where(r => r.Item2.StartsWith("api/", StringComparison.Ordinal))
            .Select(r => (r.Item1, r.Item2["api/".Length..]))
            .Where(r => !LocalOnly.Any(p => r.Item2.StartsWith(p, StringComparison.Ordinal)));

    [Fact]
    public void EveryLocalHostRouteIsAFunctionWithTheSameMethodAndAppKeyAuth()
    {
        var http = Functions().Where(f => Trigger(f) == "httpTrigger").Select(f => Bindings(f).First(b => b["type"]!.GetValue<string>() == "httpTrigger")).ToList();
        var declared = http.SelectMany(b => b["methods"]!.AsArray().Select(m => (m!.GetValue<string>().ToLowerInvariant(), b["route"]!.GetValue<string>()))).ToList();

        var served = LocalHostRoutes().ToList();

        served.Should().NotBeEmpty();
        declared.Should().BeEquivalentTo(served, "both hosts serve the same HTTP contract");
        string[] files = ["pages/{*path}", "openapi.yaml"];
        http.Where(b => !files.Contains(b["route"]!.GetValue<string>()))
            .Should().OnlyContain(b => b["authLevel"]!.GetValue<string>() == "Function", "every route needs the app key");
        http.Where(b => files.Contains(b["route"]!.GetValue<string>())).Should().HaveCount(2)
            .And.OnlyContain(b => b["authLevel"]!.GetValue<string>() == "Anonymous", "the staff pages and the contract are static files with no data");
    }

    [Fact]
    public void CrisisCareRoutesOfTheContractAreDeclared()
    {
        var routes = Functions().Where(f => Trigger(f) == "httpTrigger")
            .Select(f => Bindings(f).First(b => b["type"]!.GetValue<string>() == "httpTrigger")["route"]!.GetValue<string>()).ToList();

        routes.Should().Contain(["intake/111", "triage/queue", "cases/{caseId}", "cases/{caseId}/triage", "cases/{caseId}/close", "directory/open-now"]);
    }

    [Fact]
    public void EveryOrchestratorAndActivityIsDeclaredWithItsTrigger()
    {
        var byName = Functions().ToDictionary(f => f["name"]!.GetValue<string>(), Trigger);

        foreach (var o in WorkflowCatalog.Orchestrators)
            byName.Should().Contain(o.Name, "orchestrationTrigger");
        foreach (var a in WorkflowCatalog.Activities)
            byName.Should().Contain(a.Name, "activityTrigger");
        byName.Count(f => f.Value == "orchestrationTrigger").Should().Be(WorkflowCatalog.Orchestrators.Count);
        byName.Count(f => f.Value == "activityTrigger").Should().Be(WorkflowCatalog.Activities.Count);
    }
}
