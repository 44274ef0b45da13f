namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>A lane-internal (non-POS) event the test consumer publishes through its scoped endpoint.</summary>
public sealed record SaleProjected(Guid SaleId);
