using System.Text.Json;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using PosBus.Outbox.Configuration;

namespace PosBus.Operations.Retention;

/// <summary>
/// Keeps the lane database bounded. Deletes, in short batches: own <c>cloud_ack</c> rows acked longer ago than
/// <see cref="RetentionOptions.CloudAckedAge"/>; copies of other lanes' messages the cloud is known to hold for as long;
/// inbox entries older than <see cref="RetentionOptions.InboxAge"/>. Never anything else: <c>pending</c>,
/// <c>peer_ack</c>, <c>dead_letter</c> and held copies stay, whatever their age. It also never deletes a row the local
/// consumers have not been handed yet, nor the newest row of a stream (own: <c>lastSequence</c>; per origin: the
/// sequence a peer resumes from, which must not fall back and make it resend what was pruned). Rows wait for local
/// delivery only on a database where a process with consumers has delivered (<see cref="DeliveryLeaseStore"/>): a lane
/// whose processes consume nothing locally has no checkpoint that would ever move.
/// </summary>
public sealed class RetentionPass(
    LaneDatabase database,
    SyncLedger ledger,
    DeliveryLeaseStore deliveryLease,
    IOptionsMonitor<RetentionOptions> options,
    IOptions<PosBusOutboxOptions> outbox,
    TimeProvider time)
{
    public const string LastResultKey = "retention.lastResult";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    readonly RetentionStore _store = new(database);

    public async Task<RetentionResult> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        var waitForLocalDelivery = await deliveryLease.HasEverBeenHeldAsync(cancellationToken).ConfigureAwait(false);
        // Copies are handed to local consumers only when Outbox:DeliverReplicas is on; otherwise none waits for them.
        var deleted = await _store.PruneAsync(
            now - settings.CloudAckedAge, now - settings.InboxAge, settings.BatchSize, waitForLocalDelivery, outbox.Value.DeliverReplicas, cancellationToken).ConfigureAwait(false);
        var result = new RetentionResult { RanAt = now, Outbox = deleted.Outbox, Replica = deleted.Replica, Inbox = deleted.Inbox };
        await ledger.WriteStateAsync(LastResultKey, JsonSerializer.Serialize(result, Json), now, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The last run's result as <see cref="RunAsync"/> stored it, or null before the first run.</summary>
    public static async Task<RetentionResult?> ReadLastAsync(SyncLedger ledger, CancellationToken cancellationToken) =>
        await ledger.ReadStateAsync(LastResultKey, cancellationToken).ConfigureAwait(false) is { } text ? JsonSerializer.Deserialize<RetentionResult>(text, Json) : null;
}
