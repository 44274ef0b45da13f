using System.Diagnostics.Metrics;
using PosBus.Ledger.Sqlite;

namespace PosBus.Reliability.Tests.Support;

/// <summary>Collects this process's SQLite write-lock waits (the lane's own histogram), so a slow commit can be told apart from a long wait.</summary>
internal sealed class LockWaitRecorder : IDisposable
{
    readonly MeterListener _listener = new();
    readonly List<double> _waitsMs = [];

    public LockWaitRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SqliteWriteLock.MeterName && instrument.Name == SqliteWriteLock.WaitInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (_waitsMs)
            {
                _waitsMs.Add(seconds * 1000);
            }
        });
        _listener.Start();
    }

    public string Summary()
    {
        lock (_waitsMs)
        {
            if (_waitsMs.Count == 0)
            {
                return "none recorded";
            }

            return LatencySummary.Describe(_waitsMs.Order().ToList());
        }
    }

    public void Dispose() => _listener.Dispose();
}
