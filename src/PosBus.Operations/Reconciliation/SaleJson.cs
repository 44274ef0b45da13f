namespace PosBus.Operations.Reconciliation;

/// <summary>
/// A sale as JSON holds it, in the ledger's <c>SaleCompleted</c> body and in the cloud's reconciliation answer alike:
/// only the fields reconciliation compares; any others are ignored.
/// </summary>
sealed record SaleJson(Guid SaleId, string ReceiptNumber, DateTimeOffset OccurredAt, long TotalMinor, List<PaymentJson> Payments)
{
    public ReconciledSale ToReconciled() =>
        new(SaleId, ReceiptNumber, OccurredAt, TotalMinor, Payments.Select(p => new ReconciledPayment(p.Tender, p.AmountMinor)).ToList());
}

/// <summary>One payment of a <see cref="SaleJson"/>.</summary>
sealed record PaymentJson(string Tender, long AmountMinor);
