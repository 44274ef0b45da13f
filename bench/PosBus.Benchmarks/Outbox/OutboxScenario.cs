using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PosBus.Benchmarks.Outbox;

/// <summary>
/// Issue 2's <c>outbox</c> benchmark: (a) EF-only sale, (c) sale + 4 messages through the outbox with local
/// delivery running, (d) raw prepared SQLite writing the same rows. Interleaved rounds, synchronous=FULL, WAL,
/// single writer, a fresh DI scope per sale, pooled DbContexts. Last line: the RESULT line.
/// Options: <c>--rounds N</c> (default 12), <c>--sales N</c> per round (default 300).
/// </summary>
public static class OutboxScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = Option(args, "--rounds", 12);
        var salesPerRound = Option(args, "--sales", 300);
        Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");
        var directory = Path.Combine(Path.GetTempPath(), "posbus-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using var efOnly = new EfOnlyVariant(Path.Combine(directory, "a.db"));
            await using var outbox = new OutboxVariant(Path.Combine(directory, "c.db"));
            await using var raw = new RawVariant(Path.Combine(directory, "d.db"));
            IBenchVariant[] variants = [efOnly, outbox, raw];
            foreach (var variant in variants)
            {
                await variant.StartAsync();
                await RoundAsync(variant, salesPerRound / 2, null); // warm-up: JIT, pools, page cache
            }

            var elapsed = variants.ToDictionary(v => v.Name, _ => TimeSpan.Zero);
            var latencies = new List<double>(rounds * salesPerRound);
            for (var round = 0; round < rounds; round++)
            {
                // Rotate the order too, so no variant always runs right after another's WAL checkpoint.
                for (var k = 0; k < variants.Length; k++)
                {
                    var variant = variants[(round + k) % variants.Length];
                    elapsed[variant.Name] += await RoundAsync(variant, salesPerRound, ReferenceEquals(variant, outbox) ? latencies : null);
                }

                Console.WriteLine($"round {round + 1}/{rounds}: " + string.Join("  ", variants.Select(v => $"{v.Name} {Rate(elapsed[v.Name], (round + 1) * salesPerRound):F0}/s")));
            }

            var total = rounds * salesPerRound;
            var a = Rate(elapsed[efOnly.Name], total);
            var c = Rate(elapsed[outbox.Name], total);
            var d = Rate(elapsed[raw.Name], total);
            latencies.Sort();
            var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
            var max = latencies[^1];
            Console.WriteLine($"sales per variant {total}, 4 messages per outbox sale; a={a:F0}/s c={c:F0}/s d={d:F0}/s; commits over 50 ms: {latencies.Count(l => l > 50)}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT outbox ratio={c / d:F2} overhead={c / a:F2} ours={c:F0} raw={d:F0} p99_ms={p99:F2} max_ms={max:F2}"));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    static async Task<TimeSpan> RoundAsync(IBenchVariant variant, int sales, List<double>? latencies)
    {
        var round = Stopwatch.StartNew();
        for (var i = 0; i < sales; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await variant.SaleAsync();
            latencies?.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return round.Elapsed;
    }

    static double Rate(TimeSpan elapsed, int sales) => sales / elapsed.TotalSeconds;

    static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
