namespace PosBus.Terminal.Simulation;

/// <summary>An item of the load generator's catalogue. Price in minor units; tax as basis points (1900 = 19 %).</summary>
public sealed record CatalogItem(string Sku, string Name, long PriceMinor, int TaxRateBasisPoints);
