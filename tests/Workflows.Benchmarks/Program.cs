using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Benchmarks;
using Workflows.Benchmarks.Scenarios;
using Workflows.LocalHost;
using Workflows.Tests.Fixtures;

// dotnet run -c Release --project tests/Workflows.Benchmarks -- --scenario all      (docs/benchmarks.md)
var options = BenchOptions.Parse(args);
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

var report = new JsonObject
{
    ["startedAt"] = DateTimeOffset.UtcNow,
    ["command"] = "--" + string.Join(" ", args).TrimStart('-'),
    ["smoke"] = options.Smoke,
    ["machine"] = JsonSerializer.SerializeToNode(Machine.Describe(), json),
    ["loadAverageAtStart"] = JsonSerializer.SerializeToNode(Machine.LoadAverage(), json),
    ["engineOverrides"] = JsonSerializer.SerializeToNode(options.Overrides, json),
};
var results = new JsonObject();
report["scenarios"] = results;
var errors = 0;

foreach (var scenario in options.Scenarios)
{
    Console.WriteLine($"== {scenario} (load average {string.Join(" ", Machine.LoadAverage())})");
    try
    {
        var (result, failed) = scenario switch
        {
            "engine" => await Engine(),
            "intake" => await Intake(),
            "cases" => await Cases(options.Engine, CasePath.Ecss),
            "advice" => await Cases(options.Engine, CasePath.Advice),
            "ceiling" => await Ceiling(),
            "fund" => await Fund(),
            "history" => await History(),
            "micro" => (JsonSerializer.SerializeToNode(MicroBenchmarks.Run(options.Smoke), json), 0),
            _ => throw new ArgumentException($"Unknown scenario '{scenario}'."),
        };
        results[scenario] = result;
        errors += failed;
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        Console.Error.WriteLine($"!! {scenario} failed: {e}");
        results[scenario] = new JsonObject { ["error"] = e.Message };
        errors++;
    }
}

if (results["cases"]?["casesPerSecond"] is { } stored && results["ceiling"]?["casesPerSecond"] is { } memory && (double)memory > 0)
    report["storageCost"] = new JsonObject
    {
        ["casesPerSecondAzureStorageOverInMemory"] = Math.Round((double)stored / (double)memory, 2),
        ["workItemsPerSecondAzureStorageOverInMemory"] =
            Math.Round((double)results["cases"]!["workItemsPerSecond"]! / (double)results["ceiling"]!["workItemsPerSecond"]!, 2),
    };
report["finishedAt"] = DateTimeOffset.UtcNow;
report["errors"] = errors;

var outPath = options.ResultPath ?? Path.Combine(RepoRoot.Path, options.Smoke ? "BenchmarkResults/smoke.json" : "docs/benchmarks/latest.json");
Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
await File.WriteAllTextAsync(outPath, options.ChildResult ? results["cases"]!.ToJsonString(json) : report.ToJsonString(json));
Console.WriteLine($"Results: {outPath}");
if (errors > 0) Console.Error.WriteLine($"{errors} error(s): see the results file.");
return errors > 0 ? 1 : 0;

async Task<(JsonNode?, int)> Engine()
{
    var result = await EngineThroughput.RunAsync(options.Orchestrations, options.Overrides, cancel.Token);
    Console.WriteLine($"   {result.Engine}, plain orchestrator + 3 activities: {result.Completed}/{result.Orchestrations} completed in {result.Seconds} s " +
                      $"(all started after {result.StartSeconds} s) = {result.WorkItemsPerSecond} work items/s, {result.OrchestrationsPerSecond} orchestrations/s; " +
                      $"CPU per work item: host {result.HostCpuMsPerWorkItem} ms, Azurite {result.AzuriteCpuMsPerWorkItem} ms (" +
                      string.Join(", ", result.AzuriteCpuMsPerWorkItemByService.Select(r => $"{r.Key} {r.Value}")) + "); storage requests per work item: " +
                      string.Join(", ", result.StorageRequestsPerWorkItem.Select(r => $"{r.Key} {r.Value}")));
    return (JsonSerializer.SerializeToNode(result, json), result.Orchestrations - result.Completed);
}

async Task<(JsonNode?, int)> Intake()
{
    var steps = new JsonArray();
    var failed = 0;
    foreach (var rate in options.Rates)
    {
        await using var host = await BenchHost.StartAsync(options.Overrides, options.DataInMemory);
        var step = await IntakeLatency.RunAsync(host, rate, options.IntakeDuration, options.WarmUp, options.StartWait, cancel.Token);
        Console.WriteLine($"   {rate}/s for {step.Seconds} s after {options.WarmUp.TotalSeconds} s warming up: {step.Accepted} accepted (warm-up included), {step.Errors} errors; " +
                          $"acknowledgement {step.Acknowledgement}; warm-up {step.WarmUp}; " +
                          (step.AllStartedSecondsAfterLastCall is { } s ? $"every case started {s} s after the last call" : $"{step.StartsWaitingAtEnd} cases still waiting to start"));
        steps.Add(JsonSerializer.SerializeToNode(step, json));
        failed += step.Errors;
    }
    return (steps, failed);
}

async Task<(JsonNode?, int)> Cases(string engine, CasePath path)
{
    var overrides = new Dictionary<string, string?>(options.Overrides) { ["LocalHost:Engine"] = engine };
    await using var host = await BenchHost.StartAsync(overrides, options.DataInMemory);
    var result = await CaseThroughput.RunAsync(host, engine, path, options.Cases, options.InFlight, options.CaseTimeout, cancel.Token);
    Console.WriteLine($"   {engine}, {result.Path}: {result.Cases - result.Failed}/{result.Cases} cases in {result.Seconds} s = {result.CasesPerSecond} cases/s, " +
                      $"{result.WorkItems} work items ({result.WorkItemsPerCase} a case) = {result.WorkItemsPerSecond} work items/s; CPU per work item: " +
                      $"host {result.HostCpuMsPerWorkItem} ms, Azurite {result.AzuriteCpuMsPerWorkItem} ms; storage requests per work item: " +
                      string.Join(", ", result.StorageRequestsPerWorkItem.Select(r => $"{r.Key} {r.Value}")));
    if (result.DispatchLatency is { } dispatch)
        Console.WriteLine($"   dispatch latency (triage acknowledged -> HCA offer SMS at the sink): {dispatch}; " +
                          $"{result.OffersPerCase} offers a case, {result.HcasOnShift} HCAs on shift");
    foreach (var (step, latency) in result.Steps) Console.WriteLine($"   {step}: {latency}");
    foreach (var failure in result.Failures) Console.WriteLine($"   failed: {failure}");
    return (JsonSerializer.SerializeToNode(result, json), result.Failed);
}

async Task<(JsonNode?, int)> Fund()
{
    await using var host = await BenchHost.StartAsync(options.Overrides, options.DataInMemory);
    var result = await FundContention.RunAsync(host, options.Approvals, options.Callers, cancel.Token);
    Console.WriteLine($"   {result.Approved}/{result.Approvals} approvals by {result.Callers} callers in {result.Seconds} s = {result.ApprovalsPerSecond}/s; " +
                      $"{result.LostRaces} races lost ({result.LostRacesPerApproval} per approval); approval {result.Approval}; " +
                      $"fund committed {result.CommittedBeforePence} -> {result.CommittedAfterPence} pence: {(result.FundBalances ? "balances" : "DOES NOT BALANCE")}");
    foreach (var failure in result.Failures) Console.WriteLine($"   failed: {failure}");
    return (JsonSerializer.SerializeToNode(result, json), result.Errors + (result.FundBalances ? 0 : 1));
}

async Task<(JsonNode?, int)> History()
{
    await using var host = await BenchHost.StartAsync(options.Overrides, options.DataInMemory);
    var result = await HistoryReads.RunAsync(host, options.HistoryCases, options.HistorySamples, cancel.Token);
    return (JsonSerializer.SerializeToNode(result, json), 0);
}

// The in-memory engine takes as many work items at once as it sees CPUs, then sleeps 500 ms: it runs in a
// child process that is told there are 256 (DESIGN.md), so its ceiling is not that artefact.
async Task<(JsonNode?, int)> Ceiling()
{
    if (Environment.ProcessorCount >= 64) return await Cases(EngineSettings.InMemory, CasePath.Ecss);
    var resultFile = Path.GetTempFileName();
    var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false };
    psi.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
    foreach (var a in new[] { "--scenario", "cases", "--engine", EngineSettings.InMemory, "--cases", options.Cases.ToString(),
                 "--in-flight", options.InFlight.ToString(), "--child-result", resultFile })
        psi.ArgumentList.Add(a);
    foreach (var (k, v) in options.Overrides) { psi.ArgumentList.Add("--set"); psi.ArgumentList.Add($"{k}={v}"); }
    if (options.DataInMemory) psi.ArgumentList.Add("--data-in-memory");
    psi.Environment["DOTNET_PROCESSOR_COUNT"] = "256";
    using var child = Process.Start(psi)!;
    await child.WaitForExitAsync(cancel.Token);
    var result = JsonNode.Parse(await File.ReadAllTextAsync(resultFile));
    File.Delete(resultFile);
    return (result, child.ExitCode == 0 ? 0 : 1);
}

/// <summary>The command line: which scenarios, how big, and engine settings to try.</summary>
public sealed record BenchOptions(IReadOnlyList<string> Scenarios, bool Smoke, int[] Rates, TimeSpan IntakeDuration, TimeSpan WarmUp, TimeSpan StartWait,
    int Orchestrations, int Cases, int InFlight, TimeSpan CaseTimeout, int Approvals, int Callers, string Engine, IReadOnlyDictionary<string, string?> Overrides,
    string? ResultPath, bool ChildResult, bool DataInMemory, int HistoryCases, int HistorySamples)
{
    public static readonly string[] All = ["micro", "engine", "intake", "cases", "advice", "ceiling", "fund", "history"];

    public static BenchOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var smoke = args.Contains("--smoke");
        var scenario = Value("--scenario", "all");
        var overrides = args.Select((a, i) => (a, i)).Where(x => x.a == "--set" && x.i + 1 < args.Length)
            .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);
        var childResult = Value("--child-result", "");
        return new BenchOptions(
            scenario == "all" ? All : scenario.Split(','),
            smoke,
            Value("--rates", smoke ? "20" : "50,200,500").Split(',').Select(int.Parse).ToArray(),
            TimeSpan.FromSeconds(double.Parse(Value("--seconds", smoke ? "2" : "30"), System.Globalization.CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(Value("--warm-up", smoke ? "0.5" : "3"), System.Globalization.CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(int.Parse(Value("--start-wait", smoke ? "30" : "300"))),
            int.Parse(Value("--orchestrations", smoke ? "20" : "2000")),
            int.Parse(Value("--cases", smoke ? "4" : "300")),
            int.Parse(Value("--in-flight", smoke ? "2" : "64")),
            TimeSpan.FromSeconds(smoke ? 60 : 180),
            int.Parse(Value("--approvals", smoke ? "20" : "1000")),
            int.Parse(Value("--callers", smoke ? "4" : "32")),
            Value("--engine", EngineSettings.AzureStorage),
            overrides,
            childResult.Length > 0 ? childResult : args.Contains("--out") ? Value("--out", "") : null,
            childResult.Length > 0,
            args.Contains("--data-in-memory"),
            // A year at about 110 calls a day; each case brings its texts, offers and visits, one referral per eight calls.
            int.Parse(Value("--history-cases", smoke ? "100" : "40000")),
            int.Parse(Value("--history-samples", smoke ? "3" : "40")));
    }
}
