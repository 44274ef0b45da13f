using PosBus.Terminal.Demo;
using PosBus.TestSupport;

namespace PosBus.Chaos;

/// <summary>
/// The store under test: the demo store's lanes (ids, free ports, one secret, the local cloud), except that every
/// lane dials the others through their relays, and retries are short so the store settles within minutes of the
/// last outage rather than the production backoff's five.
/// </summary>
public static class ChaosStore
{
    static readonly Dictionary<string, string> FastRecovery = new()
    {
        // The cloud stage's backoff tops out at 4 s instead of 5 min: outages come every few seconds here.
        ["POSBUS__CloudSync__BackoffMaxMs"] = "4000",
        ["SYNC_BACKOFF_BASE_MS"] = "250",
        ["POSBUS__PeerSync__ReconnectMaxMs"] = "2000",
        ["POSBUS__PeerSync__DeadLinkTimeoutMs"] = "3000",
    };

    public static IReadOnlyList<ChaosLane> Plan(int laneCount, string workDirectory, string cloudUrl, string serviceKey, string terminalDll, CommittedSales sales)
    {
        var demo = DemoStore.Plan(laneCount, workDirectory, cloudUrl, serviceKey);
        var relays = demo.Lanes.Select(l => new PeerTcpProxy(l.Port)).ToList();
        return demo.Lanes.Select((lane, i) =>
        {
            var environment = new Dictionary<string, string>(lane.Environment);
            environment["PEER_TERMINALS"] = string.Join(',', relays.Where((_, j) => j != i).Select(r => $"ws://127.0.0.1:{r.Port}"));
            foreach (var (key, value) in FastRecovery)
            {
                environment[key] = value;
            }

            return new ChaosLane(lane, relays[i], environment, terminalDll, sales);
        }).ToList();
    }
}
