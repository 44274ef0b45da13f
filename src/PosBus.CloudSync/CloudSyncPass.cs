using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Cloud;

namespace PosBus.CloudSync;

/// <summary>
/// One upload pass: batches (transactions first, then the rest, then failover copies) of the size
/// <see cref="CloudUploadWindow"/> says, as many in flight as it says, until nothing eligible is left, the time budget
/// ends or the cloud fails. Each batch is read from the ledger only when it is about to be sent, so a backlog of any
/// size costs the memory of the batches in flight. Passes never overlap within a process; the outcome goes to <c>lane_state</c>.
/// </summary>
public sealed class CloudSyncPass(
    CloudLedger ledger, CloudBatchUploader uploader, CloudUploadWindow window, IOptionsMonitor<CloudSyncOptions> options, TimeProvider time,
    ILogger<CloudSyncPass> logger) : IDisposable
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>When the latest pass in this process started (lets queued upload commands that it already served be skipped).</summary>
    public DateTimeOffset? LastStartedAt { get; private set; }

    public async Task<CloudSyncResult> RunAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Settings are read once per pass: a live retune applies from the next pass on, never halfway through one.
            var settings = options.CurrentValue;
            window.Apply(settings);
            var started = time.GetUtcNow();
            LastStartedAt = started;
            if (!settings.IsActive)
            {
                return new CloudSyncResult { Outcome = CloudSyncOutcome.Disabled, StartedAt = started, FinishedAt = started };
            }

            var (total, budgetEnded) = await UploadAllAsync(settings, CloudEligibility.At(started, settings.HasPeers == true ? settings.PendingUploadAfter : null, settings.FailoverGrace), cancellationToken).ConfigureAwait(false);
            var result = await FinishAsync(started, total, budgetEnded, cancellationToken).ConfigureAwait(false);
            Log(result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task<(CloudBatchOutcome Total, bool BudgetEnded)> UploadAllAsync(CloudSyncOptions settings, CloudEligibility eligibility, CancellationToken cancellationToken)
    {
        var total = new CloudBatchOutcome();
        var cursor = new CloudPassCursor();
        var clock = time.GetTimestamp();
        var inFlight = new List<Task<CloudBatchOutcome>>();
        var budgetEnded = false;
        try
        {
            while (total.TransientError is null && total.ConfigurationError is null)
            {
                if (time.GetElapsedTime(clock) >= settings.PassTimeBudget)
                {
                    budgetEnded = true;
                    break;
                }

                var size = window.BatchSize;
                var batch = await ledger.ReadBatchAsync(cursor, size, eligibility, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    break;
                }

                inFlight.Add(UploadAsync(batch, size, settings, cancellationToken));
                // A while, not an if: a decrease may leave more requests in flight than the window now allows.
                while (inFlight.Count >= window.InFlight)
                {
                    var done = await Task.WhenAny(inFlight).ConfigureAwait(false);
                    inFlight.Remove(done);
                    Add(total, await done.ConfigureAwait(false));
                }
            }
        }
        finally
        {
            // Whatever happened, let the requests already sent finish and record their rows.
            foreach (var task in inFlight)
            {
                Add(total, await task.ConfigureAwait(false));
            }
        }

        return (total, budgetEnded);
    }

    async Task<CloudBatchOutcome> UploadAsync(List<CloudCandidate> batch, int size, CloudSyncOptions settings, CancellationToken cancellationToken)
    {
        var epoch = window.Epoch;
        var outcome = await uploader.UploadAsync(batch, settings, cancellationToken).ConfigureAwait(false);
        window.Observe(epoch, size, batch.Count, outcome, outcome.AnsweredIn);
        return outcome;
    }

    static void Add(CloudBatchOutcome total, CloudBatchOutcome part)
    {
        total.Requests += part.Requests;
        total.Inserted += part.Inserted;
        total.Duplicates += part.Duplicates;
        total.Invalid += part.Invalid;
        total.TransientFailures += part.TransientFailures;
        total.RepeatableFailures += part.RepeatableFailures;
        total.TransientError ??= part.TransientError;
        total.RepeatableError ??= part.RepeatableError;
        total.ConfigurationError ??= part.ConfigurationError;
    }

    async Task<CloudSyncResult> FinishAsync(DateTimeOffset started, CloudBatchOutcome total, bool budgetEnded, CancellationToken cancellationToken)
    {
        var finished = time.GetUtcNow();
        var (remaining, backingOff) = await ledger.CountWaitingAsync(finished, cancellationToken).ConfigureAwait(false);
        var outcome = total.ConfigurationError is not null ? CloudSyncOutcome.ConfigurationError
            : total.TransientError is not null ? CloudSyncOutcome.TransientFailure
            : budgetEnded ? CloudSyncOutcome.Partial
            : CloudSyncOutcome.Ok;
        var result = new CloudSyncResult
        {
            Outcome = outcome,
            StartedAt = started,
            FinishedAt = finished,
            Requests = total.Requests,
            Uploaded = total.Inserted,
            Duplicates = total.Duplicates,
            Invalid = total.Invalid,
            TransientFailures = total.TransientFailures,
            RepeatableFailures = total.RepeatableFailures,
            Remaining = remaining,
            BackingOff = backingOff,
            Error = total.ConfigurationError ?? total.TransientError ?? total.RepeatableError,
        };
        var state = new Dictionary<string, string>
        {
            [CloudSyncStateKeys.LastSyncAt] = LedgerTime.ToText(finished),
            [CloudSyncStateKeys.LastOutcome] = outcome,
            [CloudSyncStateKeys.LastResult] = JsonSerializer.Serialize(result, Json),
            [CloudSyncStateKeys.BatchSize] = window.BatchSize.ToString(CultureInfo.InvariantCulture),
            [CloudSyncStateKeys.InFlight] = window.InFlight.ToString(CultureInfo.InvariantCulture),
        };
        if (outcome is CloudSyncOutcome.Ok or CloudSyncOutcome.Partial)
        {
            state[CloudSyncStateKeys.LastSuccessAt] = LedgerTime.ToText(finished);
        }

        await ledger.WriteStateAsync(state, finished, cancellationToken).ConfigureAwait(false);
        return result;
    }

    void Log(CloudSyncResult r)
    {
        switch (r.Outcome)
        {
            case CloudSyncOutcome.ConfigurationError:
                logger.LogError("Cloud sync refused by the cloud, nothing uploaded until configuration is fixed: {Error}", r.Error);
                break;
            case CloudSyncOutcome.TransientFailure:
                logger.LogWarning("Cloud sync failed transiently ({Error}); {Failed} messages back off, {Remaining} waiting", r.Error, r.TransientFailures, r.Remaining);
                break;
            default:
                if (r.Error is not null)
                {
                    // The rest went through, but the cloud's database refused some message(s) for their content.
                    logger.LogWarning("Cloud sync {Outcome} with refusals by the cloud's database ({Error}): {Uploaded} uploaded, {Invalid} dead-lettered, {Refused} refused and backing off, {Remaining} waiting",
                        r.Outcome, r.Error, r.Uploaded, r.Invalid, r.RepeatableFailures, r.Remaining);
                    break;
                }

                var level = r.Requests > 0 ? LogLevel.Information : LogLevel.Debug;
                logger.Log(level, "Cloud sync {Outcome}: {Uploaded} uploaded, {Duplicates} duplicates, {Invalid} invalid, {Remaining} waiting ({BackingOff} backing off)",
                    r.Outcome, r.Uploaded, r.Duplicates, r.Invalid, r.Remaining, r.BackingOff);
                break;
        }
    }

    public void Dispose() => _gate.Dispose();
}
