using Microsoft.Extensions.Configuration;

namespace PosBus.CloudSync;

/// <summary>
/// Where <see cref="CloudSyncOptions"/> come from besides section <c>CloudSync</c>. The seed's variables
/// (<c>SUPABASE_URL</c>, <c>SUPABASE_SERVICE_KEY</c>, <c>POSBUS_STORE_KEY</c>, <c>SYNC_BACKOFF_BASE_MS</c>) are mapped onto <c>CloudSync:*</c> by the
/// host in one place (PosBus.Terminal's <c>SeedVariables</c>); their names here only make error messages say what to set.
/// </summary>
public static class CloudSyncConfiguration
{
    public const string SupabaseUrlVariable = "SUPABASE_URL";
    public const string ServiceKeyVariable = "SUPABASE_SERVICE_KEY";
    public const string StoreKeyVariable = "POSBUS_STORE_KEY";

    /// <summary>How every store key begins (infra/supabase/store-key.sh); the function tells store keys from the service key by it.</summary>
    public const string StoreKeyPrefix = "pbsk_";
    public const string BackoffBaseMsVariable = "SYNC_BACKOFF_BASE_MS";

    /// <summary>Section whose presence (a list or a non-empty value) means the lane has peers (<c>PEER_TERMINALS</c> lands there).</summary>
    public const string PeersSection = "PeerSync:Peers";

    /// <summary>Fills <see cref="CloudSyncOptions.HasPeers"/> from <see cref="PeersSection"/> unless it is set explicitly.</summary>
    public static void ApplyPeers(CloudSyncOptions options, IConfiguration configuration)
    {
        var peers = configuration.GetSection(PeersSection);
        options.HasPeers ??= !string.IsNullOrWhiteSpace(peers.Value) || peers.GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value) || c.GetChildren().Any());
    }

    /// <summary>True when a configuration file (not the environment) sets the service key: a secret must never sit in a file.</summary>
    public static bool ServiceKeyInFile(IConfiguration configuration) => InFile(configuration, nameof(CloudSyncOptions.ServiceKey));

    /// <summary>True when a configuration file (not the environment) sets the store key: it is a secret like the service key.</summary>
    public static bool StoreKeyInFile(IConfiguration configuration) => InFile(configuration, nameof(CloudSyncOptions.StoreKey));

    static bool InFile(IConfiguration configuration, string property) =>
        configuration is IConfigurationRoot root && root.Providers.OfType<FileConfigurationProvider>().Any(p =>
            p.TryGet($"{CloudSyncOptions.SectionName}:{property}", out var value) && !string.IsNullOrWhiteSpace(value));
}
