using MassTransit;
using PosBus.Terminal.Hosting;

namespace PosBus.Terminal.Simulation;

/// <summary>
/// Publishes a simulated checkout's messages the way a POS app does through PosBus's public API: the scoped
/// <see cref="IPublishEndpoint"/> and one <c>SaveChangesAsync</c> of the app's DbContext (here one that holds only the
/// ledger), so the messages of a sale commit together or not at all.
/// </summary>
public sealed class SimulatedCheckout(LaneLedgerDbContext db, IPublishEndpoint publish)
{
    public async Task CommitAsync(SimulatedSale sale, CancellationToken cancellationToken)
    {
        foreach (var message in sale.Messages)
        {
            await publish.Publish(message, message.GetType(), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
