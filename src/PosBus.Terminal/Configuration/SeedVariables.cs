namespace PosBus.Terminal.Configuration;

/// <summary>
/// The one place where the seed's environment variable names (and PosBus's own short names) map onto
/// configuration keys. Used for real environment variables and for <c>.env</c> files alike.
/// </summary>
public static class SeedVariables
{
    public static readonly IReadOnlyDictionary<string, string> KeyByVariable = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["TERMINAL_ID"] = "Lane:TerminalId",
        ["STORE_ID"] = "Lane:StoreId",
        ["TERMINAL_PORT"] = "PeerSync:Port",
        ["PEER_TERMINALS"] = "PeerSync:Peers",
        ["STORE_SECRET"] = "PeerSync:StoreSecret",
        ["SUPABASE_URL"] = "CloudSync:SupabaseUrl",
        ["SUPABASE_SERVICE_KEY"] = "CloudSync:ServiceKey",
        ["POSBUS_STORE_KEY"] = "CloudSync:StoreKey",
        ["SYNC_BACKOFF_BASE_MS"] = "CloudSync:BackoffBaseMs",
        ["POSBUS_DATA_DIR"] = "Database:DataDirectory",
    };

    /// <summary>The seed's <c>settings.local.json</c> keys (flat, camelCase) and where they land.</summary>
    public static readonly IReadOnlyDictionary<string, string> KeyByLocalSetting = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["terminalId"] = "Lane:TerminalId",
        ["terminalPort"] = "PeerSync:Port",
        ["storeId"] = "Lane:StoreId",
        ["peerTerminals"] = "PeerSync:Peers",
    };

    /// <summary>Translates variables with a seed name; blank values count as unset (a blank export must not wipe a default).</summary>
    public static Dictionary<string, string?> Map(IEnumerable<KeyValuePair<string, string?>> variables)
    {
        var mapped = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in variables)
        {
            if (KeyByVariable.TryGetValue(name, out var key) && !string.IsNullOrWhiteSpace(value))
            {
                mapped[key] = value.Trim();
            }
        }

        return mapped;
    }
}
