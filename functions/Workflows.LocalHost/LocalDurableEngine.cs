using System.Diagnostics;
using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;

namespace Workflows.LocalHost;

/// <summary>Settings of the local durable engine (section "LocalHost").</summary>
public sealed class EngineSettings
{
    public const string AzureStorage = "azure-storage";
    /// <summary>Keeps nothing across restarts: for measuring the engine's ceiling without storage, never for cases.</summary>
    public const string InMemory = "in-memory";

    public string Engine { get; set; } = AzureStorage;
    public string TaskHubName { get; set; } = "CrisisCareLocal";
    public int Partitions { get; set; } = 4;
    public int MaxConcurrentWorkItems { get; set; } = 256;
    public int MaxPollingMilliseconds { get; set; } = 100;
    /// <summary>Stable across restarts, so a restarted host takes back its own partition leases at once.</summary>
    public string WorkerId { get; set; } = Environment.MachineName;
    /// <summary>
    /// How long a message taken by a worker that then died stays invisible before another worker picks it up.
    /// The engine's default is 5 minutes, too long for a case stalled by a crash; it must still outlast the
    /// slowest step (an SMS send through all its retries takes about a minute). Restart tests shorten it further.
    /// </summary>
    public double QueueVisibilitySeconds { get; set; } = 90;
}

/// <summary>
/// The local durable engine as the app sees it: <see cref="EngineServer"/> running in a child process, at lower CPU
/// priority, reached over loopback gRPC. This is Durable Functions' own shape (the Functions host runs the engine, the
/// isolated worker runs the orchestrators and activities), and on a small machine it lets the engine's polling and
/// storage work give way to the requests the app answers. The child stops when this handle is disposed or its parent
/// dies (its standard input closes).
/// </summary>
public sealed class LocalDurableEngine : IAsyncDisposable
{
    private readonly Process _process;
    private readonly EngineSettings _settings;
    private readonly SemaphoreSlim _asking = new(1, 1);
    private TaskCompletionSource<string>? _answer;
    private volatile bool _disposing;

    private LocalDurableEngine(Process process, EngineSettings settings)
    {
        _process = process;
        _settings = settings;
        ProcessId = process.Id;
    }

    /// <summary>Raised if the engine process ends while still in use (it crashed or was killed): no case moves then.</summary>
    public event Action<int>? Died;

    /// <summary>The engine's loopback gRPC address (HTTP/2 without TLS).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The engine process, for measuring its CPU.</summary>
    public int ProcessId { get; }

    /// <summary>Once disposed, how the engine process ended: 0 when it stopped cleanly, not killed.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Work items completed through channels made by <see cref="CreateChannel"/> (the benchmarks report them per second).</summary>
    public EngineWorkItems WorkItems { get; } = new();

    /// <summary>
    /// The Durable Task client and a worker running <paramref name="tasks"/> against this engine, taking as many work
    /// items at once as the engine hands out, over a channel that counts the work items the worker hands back.
    /// </summary>
    public void AddClientAndWorker(IServiceCollection services, Action<DurableTaskRegistry> tasks)
    {
        var channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            HttpHandler = new EngineWorkItems.Counter(WorkItems) { InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } },
        });
        // New instances start on this code's version; the worker runs instances of it or older (none included) and
        // leaves a newer one for a worker that has its code (as host.json tells Durable Functions).
        services.AddDurableTaskClient(b => b.UseGrpc(channel).UseDefaultVersion(OrchestrationVersions.Current));
        services.AddDurableTaskWorker(b =>
        {
            b.AddTasks(tasks);
            b.UseGrpc(channel);
            b.UseVersioning(new DurableTaskWorkerOptions.VersioningOptions
            {
                Version = OrchestrationVersions.Current,
                DefaultVersion = OrchestrationVersions.Current,
                MatchStrategy = DurableTaskWorkerOptions.VersionMatchStrategy.CurrentOrOlder,
                FailureStrategy = DurableTaskWorkerOptions.VersionFailureStrategy.Reject,
            });
            b.Configure(o =>
            {
                o.Concurrency.MaximumConcurrentActivityWorkItems = _settings.MaxConcurrentWorkItems;
                o.Concurrency.MaximumConcurrentOrchestrationWorkItems = _settings.MaxConcurrentWorkItems;
            });
        });
    }

    /// <summary>The engine process's HTTP requests so far, by port (the benchmarks count storage round trips with it).</summary>
    public async Task<IReadOnlyDictionary<int, long>> StorageRequestsAsync(CancellationToken ct = default)
    {
        await _asking.WaitAsync(ct);
        try
        {
            _answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            await _process.StandardInput.WriteLineAsync(EngineServer.RequestsQuery);
            await _process.StandardInput.FlushAsync(ct);
            var line = await _answer.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            return line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('='))
                .ToDictionary(p => int.Parse(p[0]), p => long.Parse(p[1]));
        }
        finally { _asking.Release(); }
    }

    public static async Task<LocalDurableEngine> StartAsync(string storageConnectionString, EngineSettings settings,
        CancellationToken ct = default)
    {
        var psi = EngineServer.ChildStartInfo();
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.Environment[EngineServer.StorageVariable] = storageConnectionString;
        psi.Environment[EngineServer.SettingsVariable] = JsonSerializer.Serialize(settings);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("The durable engine process did not start.");

        var engine = new LocalDurableEngine(process, settings);
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith(EngineServer.AddressLine, StringComparison.Ordinal))
                address.TrySetResult(new Uri(e.Data[EngineServer.AddressLine.Length..]));
            else if (e.Data.StartsWith(EngineServer.RequestsLine, StringComparison.Ordinal))
                engine._answer?.TrySetResult(e.Data[EngineServer.RequestsLine.Length..]);
            else Console.Out.WriteLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            if (address.TrySetException(new InvalidOperationException(
                    $"The durable engine process exited with {process.ExitCode} before it listened (its output is above).")))
                return;
            if (!engine._disposing) engine.Died?.Invoke(process.ExitCode);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            engine.Address = await address.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
            return engine;
        }
        catch
        {
            if (!process.HasExited) process.Kill();
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        // Closing its input is the child's signal to stop its service cleanly (leases released, nothing polling).
        try { _process.StandardInput.Close(); } catch (IOException) { }
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(patience.Token); }
        catch (OperationCanceledException) { _process.Kill(); await _process.WaitForExitAsync(); }
        ExitCode = _process.ExitCode;
        _process.Dispose();
        _asking.Dispose();
    }
}
