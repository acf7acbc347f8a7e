using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace Workflows.Tests.Hosting;

/// <summary>
/// The Functions app and the local host must be the same system: every route the local host serves is declared
/// by the Functions app with the same method, and every orchestrator and activity is declared with its trigger.
/// Machine routes (other systems call them) need a function key; staff routes and the pages are anonymous at the
/// function level, signed in by App Service Authentication. Read from the functions.metadata the Functions SDK writes at build.
/// </summary>
public sealed class FunctionsMetadataTests : IAsyncLifetime
{
    /// <summary>Routes only the local host serves (its /health outside /api answers as /api/health, which both serve).</summary>
    private static readonly string[] LocalOnly = ["dev/"];

    /// <summary>
    /// The routes other systems call with a function key and no person (NHS 111, BaRS, the ward systems, Event Grid,
    /// monitoring): those the contract secures with `functionKey` alone. App Service Authentication must let them through
    /// unsigned (excluded paths in infra); every other route is a person's, signed in by the platform, or a static file.
    /// </summary>
    public static readonly string[] MachineRoutes = Contract.ApiContract.Current.Operations
        .Where(o => o.Definition["x-local-host-only"]?.GetValue<bool>() != true && Contract.ContractTests.Security(o).Contains("functionKey"))
        .Select(o => $"{o.Method.ToLowerInvariant()} {o.Path["/api/".Length..]}")
        .ToArray();

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

    private static List<JsonNode> HttpTriggers() =>
        Functions().Where(f => Trigger(f) == "httpTrigger").Select(f => Bindings(f).First(b => b["type"]!.GetValue<string>() == "httpTrigger")).ToList();

    private static IEnumerable<string> Routes(JsonNode trigger) =>
        trigger["methods"]!.AsArray().Select(m => $"{m!.GetValue<string>().ToLowerInvariant()} {trigger["route"]!.GetValue<string>()}");

    [Fact]
    public void EveryLocalHostRouteIsAFunctionWithTheSameMethod()
    {
        var declared = HttpTriggers().SelectMany(b => b["methods"]!.AsArray().Select(m => (m!.GetValue<string>().ToLowerInvariant(), b["route"]!.GetValue<string>()))).ToList();

        var served = LocalHostRoutes().ToList();

        served.Should().NotBeEmpty();
        declared.Should().BeEquivalentTo(served, "both hosts serve the same HTTP contract");
    }

    [Fact]
    public void MachineRoutesNeedAFunctionKeyAndStaffRoutesAreSignedInByThePlatform()
    {
        var triggers = HttpTriggers();
        var machine = triggers.Where(t => Routes(t).Any(MachineRoutes.Contains)).ToList();
        var staff = triggers.Except(machine).ToList();

        machine.SelectMany(Routes).Should().BeEquivalentTo(MachineRoutes, "each machine route is declared, alone in its function");
        machine.Should().OnlyContain(t => t["authLevel"]!.GetValue<string>() == "Function",
            "111, BaRS, the wards, Event Grid and monitoring send a function key; App Service Authentication lets them through unsigned");
        staff.Should().NotBeEmpty();
        staff.Where(t => t["authLevel"]!.GetValue<string>() != "Anonymous").SelectMany(Routes).Should().BeEmpty(
            "staff routes and the pages are reached from a browser signed in by App Service Authentication: no key may be needed in the browser");
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
