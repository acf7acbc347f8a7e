using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Workflows.Tests.Fixtures;

/// <summary>
/// A real Azurite (from the repo's node_modules, pinned in package.json) on free loopback ports, started once
/// per test process and stopped when the process exits, however it exits. <see cref="StartAsync"/> starts a private one.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private static readonly Lazy<Task<Azurite>> SharedInstance = new(() => StartAsync());
    private readonly Process[] _processes;

    private Azurite(Process[] processes, string location, int? blob, int queue, int table)
    {
        _processes = processes;
        Location = location;
        (BlobPort, QueuePort, TablePort) = (blob, queue, table);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

    public static Task<Azurite> Shared => SharedInstance.Value;

    public string Location { get; }
    /// <summary>The node processes serving storage, one per service (the benchmarks read their CPU time).</summary>
    public IReadOnlyList<int> ProcessIds => _processes.Select(p => p.Id).ToList();
    /// <summary>Null when only queue and table run.</summary>
    public int? BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        (BlobPort is { } blob ? $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;" : "") + $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>
    /// Starts Azurite keeping its data in <paramref name="location"/> (a new temp folder when null). Without
    /// <paramref name="blob"/> only queue and table run: the app's data store (DataStorage), as run-local.sh starts it.
    /// <paramref name="inMemory"/>: nothing saved to disk (Azurite's <c>--inMemoryPersistence</c>, the benchmarks' way to
    /// take its whole-database save every 5 s out of a measurement). <paramref name="background"/>: the processes run at
    /// lower CPU priority (nice 10), as run-local.sh runs the task hub's Azurite.
    /// </summary>
    public static async Task<Azurite> StartAsync(string? location = null, (int Blob, int Queue, int Table)? ports = null, bool blob = true,
        bool inMemory = false, bool background = false)
    {
        location ??= Directory.CreateTempSubdirectory("azurite-").FullName;
        // A free port can be taken by another test's server before Azurite binds it: then try fresh ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(location, ports ?? (FreePort(), FreePort(), FreePort()), blob, inMemory, background);
            }
            catch (AzuriteExitedException) when (ports is null && attempt < 4) { }
        }
    }

    private sealed class AzuriteExitedException(string message) : InvalidOperationException(message);

    // Each service in its own node process (as run-local.sh runs them): Azurite is single-threaded, and the
    // durable engine's queue and table traffic then use two cores instead of taking turns on one.
    private static async Task<Azurite> StartOnceAsync(string location, (int Blob, int Queue, int Table) ports, bool withBlob, bool inMemory,
        bool background)
    {
        var (blob, queue, table) = ports;
        var processes = new[] { ("blob", blob), ("queue", queue), ("table", table) }
            .Where(s => withBlob || s.Item1 != "blob")
            .Select(s => StartService(inMemory ? null : location, s.Item1, s.Item2, background)).ToArray();
        var azurite = new Azurite(processes, location, withBlob ? blob : null, queue, table);
        try
        {
            await azurite.WaitUntilListeningAsync();
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
        return azurite;
    }

    private static Process StartService(string? location, string service, int port, bool background)
    {
        var bin = Path.Combine(RepoRoot.Path, "node_modules", ".bin", $"azurite-{service}");
        if (!File.Exists(bin))
            throw new InvalidOperationException($"Azurite is not installed at {bin}: run `npm ci` in the repository root.");
        // Under node with a preload that stops it when this process's end closes its standard input (a pipe kept open
        // here and never written): a run that dies without exit handlers leaves no Azurite behind.
        var psi = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                "--require", Path.Combine(RepoRoot.Path, "tests", "Workflows.Tests", "Fixtures", "azurite-exits-with-parent.cjs"), bin,
                "--silent", "--disableTelemetry", "--skipApiVersionCheck",
                $"--{service}Host", "127.0.0.1", $"--{service}Port", port.ToString(),
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (location is null) psi.ArgumentList.Add("--inMemoryPersistence");
        else foreach (var a in new[] { "--location", location }) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        if (background) process.PriorityClass = ProcessPriorityClass.BelowNormal;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in new[] { BlobPort, QueuePort, TablePort }.OfType<int>())
            while (true)
            {
                if (_processes.FirstOrDefault(p => p.HasExited) is { } exited)
                    throw new AzuriteExitedException($"Azurite exited with {exited.ExitCode}.");
                try
                {
                    using var c = new TcpClient();
                    await c.ConnectAsync(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
            }
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>
    /// SIGINT: each Azurite service closes its server and saves its data to <see cref="Location"/> before it exits
    /// (azurite-table saves on SIGINT only; on SIGTERM it exits with the last few seconds' writes unsaved).
    /// </summary>
    public async Task StopAsync()
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) await kill.WaitForExitAsync();
            await process.WaitForExitAsync();
        }
    }

    public void Kill()
    {
        foreach (var process in _processes)
            try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        foreach (var process in _processes)
        {
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}

public static class RepoRoot
{
    public static readonly string Path = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Workflows.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (Workflows.sln) above the test output.");
    }
}
