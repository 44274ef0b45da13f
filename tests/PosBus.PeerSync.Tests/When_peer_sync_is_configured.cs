using PosBus.PeerSync;

namespace PosBus.PeerSync.Tests;

public sealed class When_peer_sync_is_configured
{
    [Fact]
    public void Good_settings_pass()
    {
        var result = new PeerSyncOptionsValidator().Validate(null, new PeerSyncOptions
        {
            StoreSecret = "0123456789abcdef",
            Peers = "ws://10.0.0.2:8123/posbus/peer, wss://lane-3:8123/posbus/peer",
        });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once_with_its_key()
    {
        var result = new PeerSyncOptionsValidator().Validate(null, new PeerSyncOptions
        {
            Port = 0,
            BindAddress = "everywhere",
            Peers = "http://lane-2:8123,ws://ok:1/posbus/peer",
            StoreSecret = "short",
            BatchSize = 0,
            HeartbeatIntervalMs = 5000,
            DeadLinkTimeoutMs = 1000,
        });

        Assert.False(result.Succeeded);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("PeerSync:Port (TERMINAL_PORT)", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("PeerSync:BindAddress", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("PeerSync:Peers (PEER_TERMINALS)", StringComparison.Ordinal) && f.Contains("http://lane-2:8123", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("PeerSync:StoreSecret (STORE_SECRET)", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("PeerSync:BatchSize", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("PeerSync:DeadLinkTimeoutMs", StringComparison.Ordinal));
        Assert.Equal(6, failures.Count);
    }

    [Fact]
    public void The_secret_is_required_even_without_peers_because_the_listener_always_runs()
    {
        var result = new PeerSyncOptionsValidator().Validate(null, new PeerSyncOptions());
        Assert.Contains("PeerSync:StoreSecret (STORE_SECRET)", result.FailureMessage, StringComparison.Ordinal);
    }
}
