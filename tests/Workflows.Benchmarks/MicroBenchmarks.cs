using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.AspNetCore.Http;
using Workflows.CrisisCare;
using Workflows.Http;

namespace Workflows.Benchmarks;

/// <summary>The CPU an intake costs before any storage: checking the signature and reading the call.</summary>
[MemoryDiagnoser]
public class IntakeMicroBenchmarks
{
    private readonly WebhookSignature _signature = new(new IntakeSettings { Secret = BenchHost.IntakeSecret }, TimeProvider.System);
    private byte[] _body = [];
    private HttpRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = BenchHost.CallBody("111-micro-000001");
        var (ts, sig) = WebhookSignature.Sign(BenchHost.IntakeSecret, _body, DateTimeOffset.UtcNow);
        _request = new DefaultHttpContext().Request;
        _request.Headers[WebhookSignature.TimestampHeader] = ts;
        _request.Headers[WebhookSignature.SignatureHeader] = sig;
    }

    [Benchmark(Description = "verify the 111 signature (HMAC-SHA256)")]
    public object? VerifySignature() => _signature.Verify(_request, _body);

    [Benchmark(Description = "parse and validate a 111 call (FieldReader)")]
    public object? ReadCall() => CallReport.Read(RequestBody.Parse(_body).Root, DateTimeOffset.UtcNow).Call;
}

public static class MicroBenchmarks
{
    public sealed record Measure(string Benchmark, double MeanNanoseconds, long? AllocatedBytes);

    /// <summary>Runs in this process (no generated project), a dry pass for the smoke run.</summary>
    public static IReadOnlyList<Measure> Run(bool smoke)
    {
        var job = (smoke ? Job.Dry : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "workflows-benchmarkdotnet"));
        var summary = BenchmarkRunner.Run<IntakeMicroBenchmarks>(config);
        if (summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success))
            throw new InvalidOperationException("A micro benchmark failed; see its output above.");
        return summary.Reports.Select(r => new Measure(
            r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
            Math.Round(r.ResultStatistics?.Mean ?? 0, 1),
            r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase))).ToList();
    }
}
