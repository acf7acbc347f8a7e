using Workflows.LocalHost;

namespace Workflows.Benchmarks;

/// <summary>
/// Storage round trips during a run, by Azurite port: this process's own (the app's data store) plus the engine
/// process's (the task hub), so a run can say how many each work item costs.
/// </summary>
public sealed class StorageRequests : IDisposable
{
    private readonly HttpRequestCounter _here = new();
    private readonly LocalDurableEngine _engine;
    private IReadOnlyDictionary<int, long> _engineBefore = new Dictionary<int, long>();
    private IReadOnlyDictionary<int, long> _engineAfter = new Dictionary<int, long>();

    private StorageRequests(LocalDurableEngine engine) => _engine = engine;

    public static async Task<StorageRequests> StartAsync(LocalDurableEngine engine, CancellationToken ct)
    {
        var requests = new StorageRequests(engine);
        requests._engineBefore = await engine.StorageRequestsAsync(ct);
        return requests;
    }

    /// <summary>Ends the engine's count (this process's goes on, as it did when everything ran in one process).</summary>
    public async Task StopAsync(CancellationToken ct) => _engineAfter = await _engine.StorageRequestsAsync(ct);

    public long To(int port) =>
        _here.ByPort.GetValueOrDefault(port) + _engineAfter.GetValueOrDefault(port) - _engineBefore.GetValueOrDefault(port);

    public void Dispose() => _here.Dispose();
}
