using System.Diagnostics;
using System.Diagnostics.Metrics;
using PosBus.CloudSync.Http;

namespace PosBus.CloudSync;

/// <summary>
/// The cloud stage's measurements on meter <see cref="MeterName"/>: how long each request to the function took and
/// how it ended. The lane's <c>/metrics</c> endpoint publishes them; nothing here ever carries the service key.
/// </summary>
public static class CloudSyncMetrics
{
    public const string MeterName = "PosBus.CloudSync";
    public const string UploadDurationInstrument = "posbus.cloud.upload.duration";
    public const string UploadFailuresInstrument = "posbus.cloud.upload.failures";

    static readonly Meter Meter = new(MeterName);
    static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(UploadDurationInstrument, "s", "Time of one batch request to the cloud function");
    static readonly Counter<long> Failures = Meter.CreateCounter<long>(UploadFailuresInstrument, null, "Batch requests that failed, by kind");

    /// <summary>Records one request; returns false so that it can sit in an exception filter without catching.</summary>
    public static bool RecordUpload(long startedTimestamp, Exception? failure)
    {
        var kind = failure switch
        {
            null => null,
            CloudTransientException => "transient",
            CloudConfigurationException => "configuration",
            CloudBatchRejectedException => "rejected",
            CloudRepeatableFailureException => "refused",
            OperationCanceledException => null, // the lane is stopping: not the cloud's failure
            _ => "other",
        };
        Duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("outcome", kind ?? (failure is null ? "ok" : "cancelled")));
        if (kind is not null)
        {
            Failures.Add(1, new KeyValuePair<string, object?>("kind", kind));
        }

        return false;
    }
}
