namespace PosBus.EndToEnd.Tests;

/// <summary>
/// The README's main job, small: <c>demo</c> starts lanes as processes with peers and the local cloud, drives sales,
/// and exits 0 only when Postgres holds every committed sale exactly once.
/// </summary>
public sealed class When_the_demo_store_runs
{
    [Fact]
    public async Task Every_sale_of_every_lane_arrives_in_the_cloud_exactly_once()
    {
        await PosBus.TestSupport.LocalCloud.EnsureUpAsync();
        using var work = new LaneDirectory("demo");
        var environment = work.Environment();
        environment.Remove("TERMINAL_ID");

        var demo = await LaneRun.RunAsync(environment, "demo", "--lanes", "3", "--sales", "60", "--rate", "10", "--timeout", "150");

        Assert.True(demo.ExitCode == 0, demo.StandardOutput + demo.StandardError);
        Assert.Contains("60 sales committed, 60 in the cloud exactly once, 0 missing, 0 duplicated", demo.StandardOutput + demo.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_two_stores_each_store_is_verified_under_its_own_id()
    {
        await PosBus.TestSupport.LocalCloud.EnsureUpAsync();
        using var work = new LaneDirectory("demo");
        var environment = work.Environment();
        environment.Remove("TERMINAL_ID");

        var demo = await LaneRun.RunAsync(environment, "demo", "--stores", "2", "--lanes", "3", "--sales", "30", "--rate", "10", "--timeout", "240");

        var output = demo.StandardOutput + demo.StandardError;
        Assert.True(demo.ExitCode == 0, output);
        foreach (var store in new[] { "demo-store-1", "demo-store-2" })
        {
            Assert.Contains($"verified in Postgres for store {store}: 30 sales committed, 30 in the cloud exactly once, 0 missing, 0 duplicated", output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("pbsk_", output, StringComparison.Ordinal); // the store keys are not printed
    }
}
