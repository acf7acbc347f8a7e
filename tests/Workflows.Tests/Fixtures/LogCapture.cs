using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Workflows.Tests.Fixtures;

/// <summary>A logger that keeps what it is given, to check a component logs the events the production alerts read.</summary>
public sealed class LogCapture<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId Event, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, EventId Event, string Message)> Entries => [.. _entries];

    /// <summary>The EventId names logged, as Application Insights gets them (Properties.EventName).</summary>
    public IEnumerable<string> EventNames => _entries.Select(e => e.Event.Name).OfType<string>();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, eventId, formatter(state, exception)));
}
