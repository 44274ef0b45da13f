using PosBus.Contracts;

namespace PosBus.Terminal.Simulation;

/// <summary>The messages one simulated checkout publishes together: the sale, a stock adjustment per line, and the loyalty customer if any.</summary>
public sealed record SimulatedSale(SaleCompleted Sale, IReadOnlyList<InventoryAdjusted> Adjustments, CustomerUpserted? Customer)
{
    public IEnumerable<object> Messages =>
        Customer is null ? [Sale, .. Adjustments] : [Sale, .. Adjustments, Customer];
}
