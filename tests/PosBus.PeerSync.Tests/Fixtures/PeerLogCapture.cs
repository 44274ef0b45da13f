using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PosBus.PeerSync.Tests.Fixtures;

/// <summary>Keeps every log line of one lane, so tests can count refusals and read what a link said.</summary>
public sealed class PeerLogCapture : ILoggerProvider
{
    readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Lines => _lines.ToList();

    public int Count(LogLevel level, string contains) => _lines.Count(l => l.Level == level && l.Message.Contains(contains, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    sealed class Logger(PeerLogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && category.StartsWith("PosBus", StringComparison.Ordinal))
            {
                capture._lines.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
