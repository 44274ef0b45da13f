using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;
using PosBus.Ledger;

namespace PosBus.Outbox.Delivery;

/// <summary>Hands one ledger row to the bus at a destination, as MassTransit's outbox delivery does.</summary>
static class LedgerRowDelivery
{
    public static async Task SendAsync(IBus bus, LedgerRow row, Uri destination, string? replayConsumer, CancellationToken cancellationToken)
    {
        var message = LedgerRowMessage.From(row, destination, replayConsumer);
        var endpoint = await bus.GetSendEndpoint(destination).ConfigureAwait(false);
        await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(message, destination), cancellationToken).ConfigureAwait(false);
    }
}
