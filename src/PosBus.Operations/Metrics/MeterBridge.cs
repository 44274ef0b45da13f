using System.Diagnostics.Metrics;
using PosBus.CloudSync;
using PosBus.Ledger.Sqlite;
using Prometheus;

namespace PosBus.Operations.Metrics;

/// <summary>
/// Forwards the measurements PosBus's libraries publish on .NET meters (cloud upload time and failures, SQLite
/// write-lock waits) into the lane's Prometheus registry under fixed, documented names. The libraries stay free of
/// any metrics package; only these instruments are listened to.
/// </summary>
public sealed class MeterBridge : IDisposable
{
    readonly MeterListener _listener = new();
    readonly Histogram _uploadDuration;
    readonly Counter _uploadFailures;
    readonly Histogram _lockWait;

    public MeterBridge(IMetricFactory factory)
    {
        _uploadDuration = factory.CreateHistogram("posbus_cloud_upload_duration_seconds", "Time of one batch request to the cloud function, by outcome",
            new HistogramConfiguration { LabelNames = ["outcome"], Buckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _uploadFailures = factory.CreateCounter("posbus_cloud_upload_failures_total", "Batch requests to the cloud that failed, by kind (transient, configuration, rejected, other)",
            new CounterConfiguration { LabelNames = ["kind"] });
        _lockWait = factory.CreateHistogram("posbus_sqlite_write_lock_wait_seconds", "Time a write transaction waited for SQLite's write lock (BEGIN IMMEDIATE)",
            new HistogramConfiguration { Buckets = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] });

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name is CloudSyncMetrics.UploadDurationInstrument or CloudSyncMetrics.UploadFailuresInstrument or SqliteWriteLock.WaitInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == SqliteWriteLock.WaitInstrument)
        {
            _lockWait.Observe(value);
        }
        else
        {
            _uploadDuration.WithLabels(Tag(tags, "outcome")).Observe(value);
        }
    }

    void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state) =>
        _uploadFailures.WithLabels(Tag(tags, "kind")).Inc(value);

    static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string ?? "";
            }
        }

        return "";
    }
}
