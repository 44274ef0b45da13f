using PosBus.Reliability.Tests.Support;

namespace PosBus.Reliability.Tests;

/// <summary>
/// Regression, found by the chaos runner: `simulate` ignored SIGTERM and rang up sales until SIGKILL, because only
/// Ctrl+C cancelled its loop. A POS process must stop cleanly when the OS asks, keeping every sale it committed.
/// </summary>
public sealed class When_a_writer_is_told_to_stop
{
    [Fact]
    public async Task It_stops_after_the_sale_in_progress_and_keeps_what_it_committed()
    {
        await using var store = TestStore.Plan(1);
        var committed = new List<Guid>();
        var writer = store.Simulate(0, events: 1_000_000, rate: 50, committed);
        Assert.True(await TestSupport.Eventually.TrueAsync(() => Task.FromResult(TestStore.Count(committed) >= 20), TimeSpan.FromSeconds(60)), store.Logs(0));

        Assert.True(Terminal.Demo.PosixSignals.Terminate(writer.Id));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await writer.WaitForExitAsync(limit.Token);

        Assert.Equal(0, writer.ExitCode);
        var sales = await LaneDatabaseFile.SaleIdsAsync(store.DatabasePath(0));
        Assert.All(committed, id => Assert.Contains(id, sales));
    }
}
