using System.Text.Json;

namespace PosBus.Sample.Till.Domain;

/// <summary>The till's catalogue, read from <c>catalog.json</c> beside the app (a real till loads its own from head office).</summary>
public static class Catalog
{
    public const string Currency = "EUR";
    public const long InitialStock = 10_000;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<Product> Products { get; } = Load();

    static List<Product> Load() =>
        JsonSerializer.Deserialize<List<Product>>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "catalog.json")), Json)
        ?? throw new InvalidDataException("catalog.json is empty.");
}
