using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using PosBus.Ledger.Stores;

namespace PosBus.Outbox.Delivery;

/// <summary>
/// Replays of local dead letters asked for by <c>dead-letters retry --consumer</c> (which only marks them in the ledger,
/// from any process): the delivering process sends each to the endpoints hosting its consumer, with
/// <see cref="ReplayHeader"/> naming it, once per request. The consumer's outcome settles the request (handled: the
/// dead letter goes; failed again: it is recorded anew, the request cleared), so a crash in between replays it again and
/// the inbox keeps it exactly once. Other consumers with an inbox on that endpoint pass a replay over; a handler or saga
/// sharing the endpoint would see it again (<c>ConfigureEndpoints</c> gives each consumer its own endpoint by default).
/// </summary>
sealed class DeadLetterReplays(LocalEndpoints endpoints, ILogger<DeadLetterReplays> logger)
{
    const int MaxPerPass = 100;
    readonly ConcurrentDictionary<(string Consumer, Guid MessageId), byte> _sent = new();
    readonly ConcurrentDictionary<(string Consumer, Guid MessageId), byte> _reported = new();

    public void Reset() => _sent.Clear();

    /// <summary>The consumer's endpoint finished the replay (whatever the outcome, which the consumer filter recorded).</summary>
    public void Finished(string consumer, Guid messageId) => _sent.TryRemove((consumer, messageId), out _);

    public async Task SendRequestedAsync(IBus bus, SqliteConnection connection, CancellationToken cancellationToken)
    {
        foreach (var request in await ConsumerDeadLetterStore.ReplaysRequestedAsync(connection, MaxPerPass, cancellationToken).ConfigureAwait(false))
        {
            if (_sent.ContainsKey(request))
            {
                continue;
            }

            var hosts = endpoints.Hosting(request.Consumer);
            var row = hosts.Count == 0 ? null : await DeliveryStore.ReadMessageAsync(connection, request.MessageId, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                if (_reported.TryAdd(request, 0))
                {
                    logger.LogWarning("Cannot replay local dead letter {MessageId} to {Consumer}: {Reason}; it stays listed",
                        request.MessageId, request.Consumer, hosts.Count == 0 ? "no endpoint of this process hosts that consumer" : "this lane no longer holds the message");
                }

                continue;
            }

            // Marked before sending: the consumer may finish before the send returns.
            _sent[request] = 0;
            try
            {
                foreach (var host in hosts)
                {
                    logger.LogInformation("Replaying local dead letter {MessageId} to {Consumer} on {Endpoint}", request.MessageId, request.Consumer, host.Name);
                    await LedgerRowDelivery.SendAsync(bus, row, host.InputAddress, request.Consumer, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                _sent.TryRemove(request, out _);
                throw;
            }
        }
    }
}
