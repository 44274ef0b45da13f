namespace PosBus.Sample.Till.Domain;

/// <summary>What a cashier rang up: items, the chosen tender and an optional loyalty customer.</summary>
public sealed record Cart(
    string CashierId,
    IReadOnlyList<CartItem> Items,
    string Tender,
    CustomerDetails? Customer);

public sealed record CartItem(string Sku, int Quantity);

public sealed record CustomerDetails(string Id, string Name, string? Email, string? Phone);
