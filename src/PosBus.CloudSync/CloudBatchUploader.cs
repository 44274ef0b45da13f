using System.Text.Json;
using Microsoft.Extensions.Options;
using PosBus.CloudSync.Http;
using PosBus.Ledger.Cloud;
using PosBus.Ledger.Lane;

namespace PosBus.CloudSync;

/// <summary>
/// Uploads one batch and records every row's fate in one short transaction after the request. A 413 halves the batch;
/// a 400 bisects it down to the message the cloud cannot read, which alone is dead-lettered. A 500 naming a data
/// SQLSTATE (the database refused the batch for its content) bisects it too, so that the other messages go through at
/// once; the message that keeps failing alone backs off, and is dead-lettered with the server's reason once it has
/// failed <see cref="CloudSyncOptions.PoisonAfterFailures"/> times. Transient failures only ever back rows off.
/// </summary>
public sealed class CloudBatchUploader(
    SupabaseFunctionClient client, CloudLedger ledger, IOptions<LaneOptions> lane, TimeProvider time)
{
    readonly LaneOptions _lane = lane.Value;

    /// <param name="settings">The pass's settings (backoff), so that one pass never mixes two versions of them.</param>
    public async Task<CloudBatchOutcome> UploadAsync(IReadOnlyList<CloudCandidate> batch, CloudSyncOptions settings, CancellationToken cancellationToken)
    {
        var outcome = new CloudBatchOutcome();
        var verdicts = new List<(CloudCandidate, CloudVerdict)>(batch.Count);
        var started = time.GetTimestamp();
        await SendAsync(batch, settings, verdicts, outcome, cancellationToken).ConfigureAwait(false);
        outcome.AnsweredIn = time.GetElapsedTime(started);
        await ledger.RecordAsync(verdicts, _lane.TerminalId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    async Task SendAsync(IReadOnlyList<CloudCandidate> part, CloudSyncOptions settings, List<(CloudCandidate, CloudVerdict)> verdicts, CloudBatchOutcome outcome, CancellationToken cancellationToken)
    {
        if (part.Count == 0 || outcome.ConfigurationError is not null)
        {
            return;
        }

        if (outcome.TransientError is not null)
        {
            BackOff(part, outcome.TransientError, null, settings, verdicts, outcome);
            return;
        }

        try
        {
            outcome.Requests++;
            var results = await client.PostBatchAsync(ToBatch(part), settings, cancellationToken).ConfigureAwait(false);
            Apply(part, results, settings, verdicts, outcome);
        }
        catch (JsonException)
        {
            // A body that is not JSON never leaves the lane: dead-letter it here and send the others.
            outcome.Requests--;
            var (bad, good) = Partition(part, c => !CloudBatchJson.IsJsonObject(c.Body));
            if (bad.Count == 0)
            {
                throw;
            }

            Refuse(bad, "the ledger body is not a JSON object; not sent", verdicts, outcome);
            await SendAsync(good, settings, verdicts, outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudBatchRejectedException ex) when (part.Count > 1)
        {
            outcome.TooLarge |= ex.IsTooLarge;
            await HalvesAsync(part, settings, verdicts, outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudBatchRejectedException ex)
        {
            outcome.TooLarge |= ex.IsTooLarge;
            Refuse(part, $"the cloud refused the message on its own: {ex.Message}", verdicts, outcome);
        }
        catch (CloudRepeatableFailureException ex) when (part.Count > 1)
        {
            // One statement writes the whole part, so one message the database refuses sinks all of it: halve until
            // that message is alone, and let the others through now rather than after it is dead-lettered.
            outcome.RepeatableError ??= ex.Message;
            await HalvesAsync(part, settings, verdicts, outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudRepeatableFailureException ex)
        {
            outcome.RepeatableError ??= ex.Message;
            Poisoned(part[0], ex, settings, verdicts, outcome);
        }
        catch (CloudTransientException ex)
        {
            outcome.TransientError = ex.Message;
            BackOff(part, ex.Message, ex.RetryAfter, settings, verdicts, outcome);
        }
        catch (CloudConfigurationException ex)
        {
            outcome.ConfigurationError = ex.Message;
        }
    }

    async Task HalvesAsync(IReadOnlyList<CloudCandidate> part, CloudSyncOptions settings, List<(CloudCandidate, CloudVerdict)> verdicts, CloudBatchOutcome outcome, CancellationToken cancellationToken)
    {
        var half = part.Count / 2;
        await SendAsync(part.Take(half).ToList(), settings, verdicts, outcome, cancellationToken).ConfigureAwait(false);
        await SendAsync(part.Skip(half).ToList(), settings, verdicts, outcome, cancellationToken).ConfigureAwait(false);
    }

    CloudBatch ToBatch(IReadOnlyList<CloudCandidate> part) => new(_lane.TerminalId, _lane.StoreId, part.Select(c => new CloudMessage
    {
        MessageId = c.MessageId,
        OriginTerminalId = c.OriginTerminal,
        Topic = c.Topic,
        Data = c.Body,
        Timestamp = c.CreatedAt,
        PeerAckedAt = c.PeerAckedAt,
    }).ToList());

    void Apply(IReadOnlyList<CloudCandidate> part, IReadOnlyList<CloudMessageResult> results, CloudSyncOptions settings, List<(CloudCandidate, CloudVerdict)> verdicts, CloudBatchOutcome outcome)
    {
        var byId = new Dictionary<Guid, CloudMessageResult>(results.Count);
        foreach (var result in results)
        {
            byId[result.MessageId] = result;
        }

        var unanswered = new List<CloudCandidate>();
        foreach (var candidate in part)
        {
            switch (byId.GetValueOrDefault(candidate.MessageId)?.Status)
            {
                case CloudResultStatus.Inserted:
                    outcome.Inserted++;
                    verdicts.Add((candidate, CloudVerdict.Ack));
                    break;
                case CloudResultStatus.Duplicate:
                    outcome.Duplicates++;
                    verdicts.Add((candidate, CloudVerdict.Ack));
                    break;
                case CloudResultStatus.Invalid:
                    Refuse([candidate], byId[candidate.MessageId].Reason ?? "invalid (no reason given)", verdicts, outcome);
                    break;
                default:
                    unanswered.Add(candidate);
                    break;
            }
        }

        BackOff(unanswered, "the cloud gave no known result for this message", null, settings, verdicts, outcome);
    }

    /// <summary>A message the database refused on its own: dead letter once it has failed often enough, else one more try later.</summary>
    void Poisoned(CloudCandidate candidate, CloudRepeatableFailureException ex, CloudSyncOptions settings, List<(CloudCandidate, CloudVerdict)> verdicts, CloudBatchOutcome outcome)
    {
        // Earlier failures of any kind count: the row has waited that long, and only this refusal can dead-letter it.
        var attempt = candidate.CloudAttempts + 1;
        var reason = $"the cloud's database refused it on its own, attempt {attempt} of {settings.PoisonAfterFailures}: {ex.Message}";
        if (attempt >= settings.PoisonAfterFailures)
        {
            Refuse([candidate], reason, verdicts, outcome);
            return;
        }

        outcome.RepeatableFailures++;
        verdicts.Add((candidate, Retry(candidate, reason, null, settings)));
    }

    static void Refuse(IEnumerable<CloudCandidate> rows, string reason, List<(CloudCandidate, CloudVerdict)> verdicts, CloudBatchOutcome outcome)
    {
        foreach (var candidate in rows)
        {
            outcome.Invalid++;
            verdicts.Add((candidate, new CloudVerdict.Refused(reason)));
        }
    }

    void BackOff(IEnumerable<CloudCandidate> rows, string error, TimeSpan? retryAfter, CloudSyncOptions settings, List<(CloudCandidate, CloudVerdict)> verdicts, CloudBatchOutcome outcome)
    {
        foreach (var candidate in rows)
        {
            outcome.TransientFailures++;
            verdicts.Add((candidate, Retry(candidate, error, retryAfter, settings)));
        }
    }

    CloudVerdict.Retry Retry(CloudCandidate candidate, string error, TimeSpan? retryAfter, CloudSyncOptions settings)
    {
        var delay = CloudBackoff.Delay(candidate.CloudAttempts + 1, settings.BackoffBaseMs, settings.BackoffMaxMs, Random.Shared);
        if (retryAfter > delay)
        {
            delay = retryAfter.Value;
        }

        return new CloudVerdict.Retry(time.GetUtcNow() + delay, error);
    }

    static (List<CloudCandidate> Matching, List<CloudCandidate> Others) Partition(IReadOnlyList<CloudCandidate> rows, Func<CloudCandidate, bool> predicate) =>
        (rows.Where(predicate).ToList(), rows.Where(r => !predicate(r)).ToList());
}
