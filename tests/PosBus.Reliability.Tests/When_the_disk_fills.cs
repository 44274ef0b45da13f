using PosBus.Reliability.Tests.Support;
using PosBus.TestSupport;

namespace PosBus.Reliability.Tests;

/// <summary>
/// A lane whose database sits on a 16 MB tmpfs that fills while a POS writer rings up sales beside the running lane:
/// the sale that does not fit fails with one plain line (no crash, no unhandled exception), the lane process stays up,
/// nothing committed is lost or half-written, the file passes integrity_check, and sales resume once space returns.
/// </summary>
public sealed class When_the_disk_fills
{
    [RootFact]
    public async Task Sales_fail_clearly_nothing_committed_is_lost_and_the_lane_resumes()
    {
        using var disk = SmallDisk.Mount(megabytes: 16);
        await using var store = TestStore.Plan(1);
        store.Environments[0]["POSBUS_DATA_DIR"] = Path.Combine(disk.Path, "L1");
        var lane = await store.RunAsync(0);
        var committed = new List<Guid>();
        var first = store.Simulate(0, events: 1_000_000, rate: 200, committed, "simulate-full.log");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(TestStore.Count(committed) >= 20), TimeSpan.FromSeconds(60)), store.Logs(0));

        disk.FillLeaving(256 * 1024);
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            await first.WaitForExitAsync(limit.Token);
        }

        var full = store.Log(0, "simulate-full.log");
        Assert.True(first.ExitCode == 1, $"exit {first.ExitCode}:\n{full}");
        // The POS's own report is one line; EF Core's diagnostic log lines above it may carry the exception's details.
        Assert.Matches(@"Sale \d+ was not saved: SQLite Error 13: 'database or disk is full'", full);
        Assert.DoesNotContain("Unhandled exception", full, StringComparison.Ordinal);
        Assert.False(lane.HasExited, "the lane process died when the disk filled");
        var beforeSpaceReturned = TestStore.Count(committed);

        disk.Free();
        var second = store.Simulate(0, events: 30, rate: 0, committed, "simulate-after.log");
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await second.WaitForExitAsync(limit.Token);
        }

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(beforeSpaceReturned + 30, TestStore.Count(committed));
        Assert.False(lane.HasExited, "the lane process died after the disk filled");
        var sales = await LaneDatabaseFile.SaleIdsAsync(store.DatabasePath(0));
        Assert.All(committed, id => Assert.Contains(id, sales));
        Assert.Equal(0, await LaneDatabaseFile.SalesNotCommittedWholeAsync(store.DatabasePath(0)));
        Assert.Equal("ok", await LaneDatabaseFile.IntegrityAsync(store.DatabasePath(0)));
    }
}
