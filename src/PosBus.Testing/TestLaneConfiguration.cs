using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace PosBus.Testing;

/// <summary>The configuration keys a test lane runs with, in <c>appsettings.json</c> terms (Section:Key).</summary>
static class TestLaneConfiguration
{
    public static Dictionary<string, string?> For<TDbContext>(TestLaneOptions<TDbContext> options, string dataDirectory, int port)
        where TDbContext : DbContext
    {
        var peerSync = options.PeerSync ?? options.Peers.Count > 0;
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["PosBus:Capture"] = "true",
            ["PosBus:PeerSync"] = Text(peerSync),
            ["PosBus:CloudSync"] = Text(options.CloudUrl is not null),
            ["PosBus:Operations"] = "true",
            ["Lane:TerminalId"] = options.TerminalId,
            ["Lane:StoreId"] = options.StoreId,
            ["Database:DataDirectory"] = dataDirectory,
            ["PeerSync:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["PeerSync:BindAddress"] = "127.0.0.1",
            ["PeerSync:Peers"] = string.Join(',', options.Peers.Select(p => p.ToString())),
            ["PeerSync:StoreSecret"] = options.StoreSecret,
            // Tests wait for facts; short intervals make them arrive in milliseconds rather than seconds.
            ["PeerSync:HeartbeatIntervalMs"] = "200",
            ["PeerSync:DeadLinkTimeoutMs"] = "2000",
            ["PeerSync:ReconnectBaseMs"] = "50",
            ["PeerSync:ReconnectMaxMs"] = "1000",
            ["PeerSync:PollIntervalMs"] = "100",
            ["Outbox:PollInterval"] = "00:00:00.100",
            ["Outbox:CheckpointInterval"] = "00:00:00.200",
        };
        if (options.CloudUrl is not null)
        {
            settings["CloudSync:SupabaseUrl"] = options.CloudUrl.ToString();
            settings[options.StoreKey ? "CloudSync:StoreKey" : "CloudSync:ServiceKey"] = options.CloudKey;
            settings["CloudSync:Interval"] = "00:00:01";
            settings["CloudSync:BackoffBaseMs"] = "200";
            settings["CloudSync:BackoffMaxMs"] = "2000";
            settings["CloudSync:HttpTimeout"] = "00:00:10";
        }

        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        return settings;
    }

    static string Text(bool value) => value ? "true" : "false";
}
