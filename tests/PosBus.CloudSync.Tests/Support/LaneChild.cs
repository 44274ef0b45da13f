using System.Globalization;

namespace PosBus.CloudSync.Tests.Support;

/// <summary>
/// A minimal lane process for the kill -9 test: runs <see cref="Cli.CloudSyncNow"/> in a loop on an existing ledger
/// until nothing is left, printing one line per pass. The key comes from <c>SUPABASE_SERVICE_KEY</c>, as in a lane.
/// </summary>
public static class LaneChild
{
    public static async Task<int> RunAsync(string databasePath, string url)
    {
        using var ledger = new TestLedger(databasePath);
        var key = Environment.GetEnvironmentVariable("SUPABASE_SERVICE_KEY") ?? "";
        await using var lane = TestLane.Create(ledger, TestLane.Settings(url, key, ("CloudSync:BatchSize", "50")));
        while (true)
        {
            var result = await lane.SyncNow.RunAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pass {result.Outcome} uploaded={result.Uploaded} remaining={result.Remaining}"));
            if (result.Remaining == 0)
            {
                return 0;
            }
        }
    }
}
