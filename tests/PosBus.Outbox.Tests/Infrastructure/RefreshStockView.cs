namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>A bus-only command (never in the ledger), like the cloud stage's upload command.</summary>
public sealed record RefreshStockView(Guid Id);
