using PosBus.Terminal.Domain;

namespace PosBus.Terminal.Simulation;

/// <summary>
/// Makes carts that look like a grocery lane's: 1-6 items, mostly single quantities, card more often
/// than cash, a loyalty customer on about one sale in five.
/// </summary>
public sealed class SaleGenerator(int seed)
{
    static readonly string[] Cashiers = ["C-ANNA", "C-BEN", "C-CHLOE", "C-DAVID"];
    static readonly string[] FirstNames = ["Mia", "Noah", "Emma", "Liam", "Sofia", "Lukas", "Lea", "Jonas"];
    static readonly string[] LastNames = ["Schmidt", "Müller", "Novak", "Rossi", "García", "Jensen", "O'Brien"];

    readonly Random _random = new(seed);

    public Cart Next()
    {
        var itemCount = _random.Next(1, 7);
        var items = new List<CartItem>(itemCount);
        foreach (var product in Catalog.Products.OrderBy(_ => _random.Next()).Take(itemCount))
        {
            items.Add(new CartItem(product.Sku, _random.Next(10) < 8 ? 1 : _random.Next(2, 5)));
        }

        var tender = _random.Next(10) switch
        {
            < 6 => "card",
            < 9 => "cash",
            _ => "voucher",
        };
        return new Cart(Cashiers[_random.Next(Cashiers.Length)], items, tender, _random.Next(5) == 0 ? NextCustomer() : null);
    }

    CustomerDetails NextCustomer()
    {
        var number = _random.Next(1, 500);
        var first = FirstNames[number % FirstNames.Length];
        var last = LastNames[number % LastNames.Length];
        return new CustomerDetails($"CUST-{number:D5}", $"{first} {last}", $"customer{number}@example.org", $"+49 30 555 {number:D4}");
    }
}
