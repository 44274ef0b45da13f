using System.Globalization;
using System.Security.Cryptography;
using PosBus.PeerSync.Hosting;

namespace PosBus.Terminal.Demo;

/// <summary>The lanes of a demo store: ids, free ports, data folders and each lane's environment.</summary>
public sealed record DemoStore(string StoreId, IReadOnlyList<DemoStore.Lane> Lanes)
{
    /// <summary>The store id of a one-store demo.</summary>
    public const string DefaultStoreId = "demo-store";

    public sealed record Lane(string TerminalId, int Port, string DataDirectory, IReadOnlyDictionary<string, string> Environment);

    public static DemoStore Plan(int laneCount, string workDirectory, LocalCloud cloud) =>
        Plan(laneCount, workDirectory, cloud.Url, cloud.ServiceKey);

    /// <param name="storeKey">The store's own key (<c>POSBUS_STORE_KEY</c>); null sends <paramref name="serviceKey"/> as a one-store setup does.</param>
    public static DemoStore Plan(int laneCount, string workDirectory, string cloudUrl, string serviceKey, string storeId = DefaultStoreId, string? storeKey = null)
    {
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var ids = Enumerable.Range(1, laneCount).Select(i => $"L{i}").ToList();
        var ports = ids.Select(_ => UnusedLoopbackPort.Next()).ToList();
        var lanes = new List<Lane>();
        for (var i = 0; i < laneCount; i++)
        {
            var dataDirectory = Path.Combine(workDirectory, ids[i]);
            var peers = string.Join(',', ports.Where((_, j) => j != i).Select(p => $"ws://127.0.0.1:{p}"));
            lanes.Add(new Lane(ids[i], ports[i], dataDirectory, new Dictionary<string, string>
            {
                ["TERMINAL_ID"] = ids[i],
                ["TERMINAL_PORT"] = ports[i].ToString(CultureInfo.InvariantCulture),
                ["PEER_TERMINALS"] = peers,
                ["STORE_ID"] = storeId,
                ["STORE_SECRET"] = secret,
                ["SUPABASE_URL"] = cloudUrl,
                [storeKey is null ? "SUPABASE_SERVICE_KEY" : "POSBUS_STORE_KEY"] = storeKey ?? serviceKey,
                ["SYNC_BACKOFF_BASE_MS"] = "500",
                ["POSBUS_DATA_DIR"] = dataDirectory,
                // A demo wants to see sales arrive: sync every 2 s instead of the production 30 s.
                ["POSBUS__CloudSync__Interval"] = "00:00:02",
                ["POSBUS_CONFIG_DIR"] = dataDirectory,
            }));
        }

        return new DemoStore(storeId, lanes);
    }
}
