using System.Collections.Concurrent;
using PosBus.Terminal.Demo;
using PosBus.TestSupport;

namespace PosBus.EndToEnd.Tests;

/// <summary>
/// kill -9 of a process in the middle of writing sales, several times on the same file: the contract is
/// that a sale whose commit returned is in the ledger exactly once, and a sale's messages exist all together or not at all.
/// </summary>
public sealed class When_a_writing_lane_is_killed
{
    [Fact]
    public async Task Every_committed_sale_has_exactly_one_ledger_row_and_no_row_lacks_its_sale()
    {
        using var lane = new LaneDirectory();
        var committed = new ConcurrentDictionary<string, int>();
        var random = new Random(20261125);
        const int kills = 5;

        for (var round = 0; round < kills; round++)
        {
            var killAfter = random.Next(5, 120);
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var seenThisRound = 0;
            await using var writer = LaneProcess.Start(
                TerminalExecutable.DllPath,
                ["simulate", "--events", "1000000", "--print-ids", "--seed", round.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                lane.Environment(),
                System.IO.Path.Combine(lane.Path, $"simulate-{round}.log"),
                line =>
                {
                    if (line.StartsWith("COMMITTED ", StringComparison.Ordinal))
                    {
                        committed.AddOrUpdate(line[10..].Trim().ToLowerInvariant(), 1, (_, n) => n + 1);
                        if (Interlocked.Increment(ref seenThisRound) >= killAfter)
                        {
                            reached.TrySetResult();
                        }
                    }
                });

            var finished = await Task.WhenAny(reached.Task, writer.WaitForExitAsync(CancellationToken.None), Task.Delay(TimeSpan.FromSeconds(90)));
            Assert.True(finished == reached.Task, $"round {round}: the writer did not commit {killAfter} sales (see simulate-{round}.log)");
            // A random extra moment so the kill lands anywhere inside a save, not just after a print.
            await Task.Delay(random.Next(0, 15));
            await writer.KillAsync();
        }

        Assert.True(committed.Count >= kills * 5);
        var ledger = (await LedgerQueries.SaleMessageCountsAsync(lane.DatabasePath)).ToDictionary(r => r.SaleId, r => r.Count);
        foreach (var saleId in committed.Keys)
        {
            Assert.True(ledger.TryGetValue(saleId, out var rows), $"committed sale {saleId} has no ledger row");
            Assert.Equal(1, rows);
        }

        Assert.All(ledger.Values, count => Assert.Equal(1, count));
        // A sale's messages (the sale and a stock adjustment per line) were one save: all of them, or none.
        Assert.Equal(0, await LedgerQueries.ScalarAsync(lane.DatabasePath, SaleLedgerSql.SalesNotCommittedWhole));
        Assert.Equal(0, await LedgerQueries.ScalarAsync(lane.DatabasePath, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"));
    }
}
