namespace PosBus.Operations.Reconciliation;

/// <summary>One sale as one side (the lane's ledger, or the cloud) holds it: what reconciliation compares.</summary>
public sealed record ReconciledSale(Guid SaleId, string ReceiptNumber, DateTimeOffset OccurredAt, long TotalMinor, IReadOnlyList<ReconciledPayment> Payments)
{
    /// <summary>Same total and the same payments in the same order.</summary>
    public bool SameAs(ReconciledSale other) => TotalMinor == other.TotalMinor && Payments.SequenceEqual(other.Payments);
}

/// <summary>One payment of a sale: the tender (cash, card, …) and the amount in minor units.</summary>
public sealed record ReconciledPayment(string Tender, long AmountMinor);
