namespace PosBus.Terminal.Simulation;

/// <summary>The load generator's catalogue, so that simulated sales look like a grocery's.</summary>
public static class Catalog
{
    public const string Currency = "EUR";

    public static readonly IReadOnlyList<CatalogItem> Products =
    [
        Item("4006381333931", "Whole milk 1 l", 119, 700),
        Item("4001686301265", "Rye bread 500 g", 249, 700),
        Item("4000417025005", "Dark chocolate 100 g", 189, 700),
        Item("4008400404127", "Hazelnut spread 400 g", 379, 700),
        Item("4005500087908", "Butter 250 g", 239, 700),
        Item("4311501440598", "Free-range eggs x10", 329, 700),
        Item("4104420018509", "Apple juice 1 l", 159, 1900),
        Item("4002515000016", "Sparkling water 1.5 l", 69, 1900),
        Item("4015000010931", "Coffee beans 1 kg", 1299, 700),
        Item("4037400349212", "Green tea x20", 229, 700),
        Item("4311596428174", "Bananas 1 kg", 179, 700),
        Item("4023600001000", "Tomatoes 500 g", 219, 700),
        Item("4388844020465", "Pasta 500 g", 99, 700),
        Item("4316268372541", "Olive oil 0.75 l", 799, 700),
        Item("4005808262366", "Toothpaste 75 ml", 195, 1900),
        Item("4015100722383", "Shampoo 300 ml", 349, 1900),
        Item("4000177602775", "Dish soap 500 ml", 149, 1900),
        Item("4047247423592", "Paper towels x4", 399, 1900),
        Item("4006040001912", "Batteries AA x4", 599, 1900),
        Item("4260107220015", "Dog food 800 g", 289, 700),
    ];

    static CatalogItem Item(string sku, string name, long priceMinor, int taxBasisPoints) => new(sku, name, priceMinor, taxBasisPoints);
}
