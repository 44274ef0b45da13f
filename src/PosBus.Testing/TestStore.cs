using Microsoft.EntityFrameworkCore;
using PosBus.PeerSync.Hosting;

namespace PosBus.Testing;

/// <summary>
/// Several lanes of one store in the test process, each a <see cref="TestLane{TDbContext}"/> on its own SQLite file and
/// loopback port, every lane a peer of every other (as a store's lanes are configured): what one lane commits, the
/// others hold a copy of, and the origin sees <c>peer_ack</c>.
/// </summary>
public sealed class TestStore<TDbContext> : IAsyncDisposable
    where TDbContext : DbContext
{
    readonly List<TestLane<TDbContext>> _lanes;

    TestStore(List<TestLane<TDbContext>> lanes) => _lanes = lanes;

    /// <summary>The lanes, <c>L1</c>, <c>L2</c>, ... in order.</summary>
    public IReadOnlyList<TestLane<TDbContext>> Lanes => _lanes;

    /// <summary>Lane number <paramref name="index"/> (from 0).</summary>
    public TestLane<TDbContext> this[int index] => _lanes[index];

    /// <summary>
    /// Starts <paramref name="laneCount"/> lanes (see <see cref="TestStore"/>) named <c>L1</c>..<c>Ln</c>; <paramref name="configure"/> sets each lane's
    /// options (its index is the second argument).
    /// </summary>
    internal static async Task<TestStore<TDbContext>> StartAsync(
        int laneCount, Action<TestLaneOptions<TDbContext>, int>? configure, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(laneCount, 2);
        var ports = Enumerable.Range(0, laneCount).Select(_ => UnusedLoopbackPort.Next()).ToArray();
        var lanes = new List<TestLane<TDbContext>>(laneCount);
        try
        {
            for (var i = 0; i < laneCount; i++)
            {
                var options = new TestLaneOptions<TDbContext> { TerminalId = $"L{i + 1}", Port = ports[i] };
                foreach (var peer in ports.Where((_, j) => j != i))
                {
                    options.Peers.Add(new Uri($"ws://127.0.0.1:{peer}"));
                }

                configure?.Invoke(options, i);
                lanes.Add(await TestLane<TDbContext>.StartAsync(options, cancellationToken).ConfigureAwait(false));
            }

            return new TestStore<TDbContext>(lanes);
        }
        catch
        {
            foreach (var lane in lanes)
            {
                await lane.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _lanes)
        {
            await lane.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Starts <see cref="TestStore{TDbContext}"/>s: <c>await TestStore.StartAsync&lt;TillDbContext&gt;(2, (lane, i) => ...)</c>.</summary>
public static class TestStore
{
    /// <summary>Starts <paramref name="laneCount"/> lanes <c>L1</c>..<c>Ln</c> of one store, each a peer of the others.</summary>
    public static Task<TestStore<TDbContext>> StartAsync<TDbContext>(
        int laneCount, Action<TestLaneOptions<TDbContext>, int>? configure = null, CancellationToken cancellationToken = default)
        where TDbContext : DbContext =>
        TestStore<TDbContext>.StartAsync(laneCount, configure, cancellationToken);
}
