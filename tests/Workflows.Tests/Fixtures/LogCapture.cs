using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Workflows.Tests.Fixtures;

/// <summary>
/// Log lines as a console would show them (category, level, event, message): from a running host (<see cref="On(TestHost)"/>,
/// added to its logger factory so the host's own filters apply), or from one component built by hand (<see cref="For{T}"/>).
/// For checks that something is, or is never, logged, and that failures carry the event names the production alerts read.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, EventId Event, string Message)> _lines = new();

    public static LogCapture On(TestHost host) => On(host.Services);

    public static LogCapture On(IServiceProvider services)
    {
        var capture = new LogCapture();
        services.GetRequiredService<ILoggerFactory>().AddProvider(capture);
        return capture;
    }

    public IReadOnlyList<(string Category, LogLevel Level, EventId Event, string Message)> Lines => _lines.ToList();

    /// <summary>The EventId names logged, as Application Insights gets them (Properties.EventName).</summary>
    public IEnumerable<string> EventNames => _lines.Select(l => l.Event.Name).OfType<string>();

    /// <summary>A logger for a component constructed in the test, writing here.</summary>
    public ILogger<T> For<T>() => new Typed<T>(CreateLogger(typeof(T).FullName!));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, EventId, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((category, logLevel, eventId, formatter(state, exception) + (exception is null ? "" : " " + exception)));
    }

    private sealed class Typed<T>(ILogger inner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
