using System.Diagnostics;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using PosBus.Outbox.Configuration;
using PosBus.Outbox.Inbox;

namespace PosBus.Outbox.Delivery;

/// <summary>
/// Hands committed outbox rows (and peer copies) to the lane's in-process bus, in sequence order, so that
/// lane-local consumers run. Wakes on a commit in this process, polls for rows other processes wrote.
/// At least once: the saved position of a stream is the highest sequence up to which every endpoint the rows reached has
/// completed them (<see cref="ConsumerCompletion"/>, written every <see cref="PosBusOutboxOptions.CheckpointInterval"/>),
/// so a crash at any point redelivers what was not finished and the inbox drops what was. It also sends the replays of
/// local dead letters that <c>dead-letters retry --consumer</c> asked for (<see cref="DeadLetterReplays"/>).
/// Rows whose message types nothing on the bus consumes are passed over (<see cref="LocalMessageTypes"/>). One process per
/// database delivers, the holder of the delivery lease (<see cref="DeliveryOwnership"/>); a process without consumers never does.
/// </summary>
sealed class LocalDeliveryService(
    IBusControl bus,
    LaneDatabase database,
    LedgerSignals signals,
    LocalMessageTypes localTypes,
    DeliveryOwnership ownership,
    LocalEndpoints endpoints,
    ConsumerCompletion completion,
    DeadLetterReplays replays,
    TimeProvider time,
    IOptions<PosBusOutboxOptions> options,
    ILogger<LocalDeliveryService> logger) : BackgroundService
{
    readonly PosBusOutboxOptions _options = options.Value;
    long _replaysLookedAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await LedgerDatabaseSetup.EnsureCreatedAsync(database, stoppingToken).ConfigureAwait(false);
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken).ConfigureAwait(false);
        if (!_options.DeliverOnlyConsumedTypes)
        {
            localTypes.ConsumedAll();
        }

        if (!localTypes.TakesAny)
        {
            // Never a candidate for the lease: taking it would pass over rows that a process with consumers is waiting for.
            logger.LogInformation("Nothing on this process's bus consumes ledger messages: it runs no local delivery on {Database}", database.Options.DatabasePath);
            return;
        }

        LogWhatIsDelivered();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ownership.WaitUntilOwnedAsync(stoppingToken).ConfigureAwait(false);
                await DeliverWhileOwnedAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ownership.ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The delivery loop, from the saved checkpoints on, until the host stops or another process takes the lease.</summary>
    async Task DeliverWhileOwnedAsync(CancellationToken stoppingToken)
    {
        DeliveryStream[] streams = _options.DeliverReplicas ? [DeliveryStream.Outbox(), DeliveryStream.Replica()] : [DeliveryStream.Outbox()];
        // Reads, and checkpoints of completed positions: a lost checkpoint only means a redelivery.
        using var connection = await database.OpenAsync(CommitDurability.Deferred, stoppingToken).ConfigureAwait(false);
        foreach (var stream in streams)
        {
            stream.Position = await DeliveryStore.LoadPositionAsync(connection, stream.Name, stoppingToken).ConfigureAwait(false);
        }

        completion.Reset();
        replays.Reset();
        var checkpoint = new CompletedCheckpoint(streams, completion, ownership.Owner, time, _options.CheckpointInterval);
        var owned = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested && (owned = await ownership.RenewIfDueAsync(stoppingToken).ConfigureAwait(false)))
            {
                using var wakeCancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                // Listen before reading, so that a commit during the read is never missed.
                var wake = Task.WhenAny(
                    signals.OutboxCommitted.WaitAsync(_options.PollInterval, wakeCancel.Token),
                    signals.ReplicaStored.WaitAsync(_options.PollInterval, wakeCancel.Token));
                var full = await DeliverPassAsync(connection, streams, stoppingToken).ConfigureAwait(false);
                await checkpoint.MaybeSaveAsync(connection, stoppingToken).ConfigureAwait(false);
                await ReplayRequestedAsync(connection, stoppingToken).ConfigureAwait(false);
                if (!full)
                {
                    await wake.ConfigureAwait(false);
                    if (_options.DeliveryLinger > TimeSpan.Zero && !stoppingToken.IsCancellationRequested)
                    {
                        await Task.Delay(_options.DeliveryLinger, stoppingToken).ConfigureAwait(false);
                    }
                }

                await wakeCancel.CancelAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // The checkpoints belong to the lease holder: after a takeover, the new owner's positions stand.
            if (owned)
            {
                await checkpoint.SaveOnStopAsync(connection).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Returns true when a stream had a full batch, i.e. more rows are probably waiting.</summary>
    async Task<bool> DeliverPassAsync(SqliteConnection connection, DeliveryStream[] streams, CancellationToken cancellationToken)
    {
        var full = false;
        foreach (var stream in streams)
        {
            List<LedgerRow> rows;
            try
            {
                rows = await stream.ReadNextAsync(connection, _options.DeliveryBatchSize, cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException exception)
            {
                logger.LogWarning(exception, "Local delivery could not read stream {Stream}; retrying", stream.Name);
                continue;
            }

            foreach (var row in rows)
            {
                // A row nothing here consumes is passed over: its position moves on like a delivered one's.
                if (localTypes.Takes(row.MessageType))
                {
                    try
                    {
                        var destination = Destination(row);
                        // Before sending: a consumer may finish the row before the send returns.
                        completion.Expect(stream.Name, row.Sequence, row.MessageId, endpoints.Reached(row.MessageType, destination));
                        await LedgerRowDelivery.SendAsync(bus, row, destination, null, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        logger.LogError(exception, "Local delivery of {MessageId} (stream {Stream}, sequence {Sequence}) failed; retrying",
                            row.MessageId, stream.Name, row.Sequence);
                        await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
                        return false;
                    }
                }

                stream.Position = row.Sequence;
            }

            full |= rows.Count >= _options.DeliveryBatchSize;
        }

        return full;
    }

    void LogWhatIsDelivered()
    {
        if (localTypes.TakesAll)
        {
            logger.LogInformation("Local delivery hands every message type to the bus");
        }
        else
        {
            logger.LogInformation("Local delivery hands {MessageTypes} to the bus; other types go to peers and the cloud only", localTypes.Urns);
        }
    }

    // A look per poll interval is enough for an operator's request, and keeps busy passes free of the extra read.
    async Task ReplayRequestedAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (time.GetElapsedTime(_replaysLookedAt) < _options.PollInterval)
        {
            return;
        }

        _replaysLookedAt = time.GetTimestamp();
        try
        {
            await replays.SendRequestedAsync(bus, connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Could not replay local dead letters; trying again at the next pass");
        }
    }

    /// <summary>The row's own destination on this bus's transport; otherwise the publish address of its message type.</summary>
    Uri Destination(LedgerRow row)
    {
        if (Uri.TryCreate(row.DestinationAddress, UriKind.Absolute, out var destination) &&
            string.Equals(destination.Scheme, bus.Address.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return destination;
        }

        var urn = row.MessageType.Split(';', 2)[0];
        return new Uri($"{bus.Address.Scheme}://{bus.Address.Authority}/{urn}");
    }
}
