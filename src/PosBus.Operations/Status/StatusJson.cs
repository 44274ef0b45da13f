using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PosBus.Operations.Status;

/// <summary>How stage reports become status keys: camelCase, ISO-8601 times, nulls kept so a key never disappears.</summary>
public static class StatusJson
{
    /// <summary>
    /// Web defaults, and no HTML escaping: the output goes to terminals, scripts and a JSON endpoint, never into HTML,
    /// and a time must read <c>+00:00</c>, not <c>\u002B00:00</c>.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The same, indented, for people reading CLI output.</summary>
    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    public static JsonNode? From<T>(T value) => JsonSerializer.SerializeToNode(value, Options);
}
