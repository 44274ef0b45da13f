using Microsoft.EntityFrameworkCore;

namespace PosBus.Testing;

/// <summary>Starts <see cref="TestLane{TDbContext}"/>s: <c>await TestLane.StartAsync&lt;TillDbContext&gt;(lane => ...)</c>.</summary>
public static class TestLane
{
    /// <summary>Starts a lane of the app's <typeparamref name="TDbContext"/>; see <see cref="TestLaneOptions{TDbContext}"/> for what can be set.</summary>
    public static Task<TestLane<TDbContext>> StartAsync<TDbContext>(
        Action<TestLaneOptions<TDbContext>>? configure = null, CancellationToken cancellationToken = default)
        where TDbContext : DbContext
    {
        var options = new TestLaneOptions<TDbContext>();
        configure?.Invoke(options);
        return TestLane<TDbContext>.StartAsync(options, cancellationToken);
    }
}
