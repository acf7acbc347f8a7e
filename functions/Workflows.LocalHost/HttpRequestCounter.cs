using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Workflows.LocalHost;

/// <summary>
/// Counts this process's HTTP requests by destination port (from .NET's own "http.client.request.duration"
/// metric), so the benchmarks can say how many storage round trips each work item costs.
/// </summary>
public sealed class HttpRequestCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<int, long> _byPort = new();

    public HttpRequestCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "server.port" && tag.Value is int port)
                    _byPort.AddOrUpdate(port, 1, (_, n) => n + 1);
        });
        _listener.Start();
    }

    public IReadOnlyDictionary<int, long> ByPort => new Dictionary<int, long>(_byPort);

    public void Dispose() => _listener.Dispose();
}
