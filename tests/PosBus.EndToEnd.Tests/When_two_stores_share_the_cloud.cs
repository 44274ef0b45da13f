using System.Globalization;
using System.Text.Json.Nodes;
using LocalCloud = PosBus.TestSupport.LocalCloud;

namespace PosBus.EndToEnd.Tests;

/// <summary>
/// Two stores of a chain on one cloud, each lane called L1, each store with its own key (POSBUS_STORE_KEY), selling the
/// same skus to the same customer ids (same seed): stock levels, customers, reconcile and status stay per store; a lane
/// holding store A's key but configured as store B is refused and writes nothing.
/// </summary>
public sealed class When_two_stores_share_the_cloud
{
    const int Sales = 30;

    [Fact]
    public async Task Each_store_keeps_its_own_stock_customers_reconcile_and_status()
    {
        var cloud = await LocalCloud.EnsureUpAsync();
        var (a, b) = ($"e2a-{Guid.NewGuid():N}"[..16], $"e2b-{Guid.NewGuid():N}"[..16]);
        var (keyA, keyB) = (await cloud.IssueStoreKeyAsync(a), await cloud.IssueStoreKeyAsync(b));
        using var laneA = new LaneDirectory("L1");
        using var laneB = new LaneDirectory("L1");
        var envA = Environment(laneA, cloud, a, keyA.Key);
        var envB = Environment(laneB, cloud, b, keyB.Key);

        foreach (var env in new[] { envA, envB })
        {
            var simulate = await LaneRun.RunAsync(env, "simulate", "--events", Sales.ToString(CultureInfo.InvariantCulture), "--seed", "16");
            Assert.True(simulate.ExitCode == 0, simulate.StandardError);
            var sync = await LaneRun.RunAsync(env, "sync-now", "--json");
            Assert.True(sync.ExitCode == 0, sync.StandardOutput + sync.StandardError);
        }

        const string Db = "select count(*) from ";
        Assert.Equal(0L, await CloudQueries.CountAsync(cloud.DbUrl, Db + "inventory_levels l where l.store_id = any(@value) and l.quantity <> (select sum(m.delta) from inventory_movements m where m.store_id = l.store_id and m.sku = l.sku)", new[] { a, b }));
        Assert.True(await CloudQueries.CountAsync(cloud.DbUrl, Db + $"inventory_levels x join inventory_levels y using (sku) where x.store_id = '{a}' and y.store_id = @value", b) > 0, "the two stores share no sku");
        Assert.True(await CloudQueries.CountAsync(cloud.DbUrl, Db + $"customers x join customers y using (customer_id) where x.store_id = '{a}' and y.store_id = @value", b) > 0, "the two stores share no customer id");
        Assert.Equal(0L, await CloudQueries.CountAsync(cloud.DbUrl, Db + "pos_messages where store_id = any(@value) and terminal_id <> 'L1'", new[] { a, b }));

        var day = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var (env, key) in new[] { (envA, keyA.Key), (envB, keyB.Key) })
        {
            var reconcile = await LaneRun.RunAsync(env, "reconcile", "--date", day, "--json");
            Assert.True(reconcile.ExitCode == 0, reconcile.StandardOutput + reconcile.StandardError);
            var answer = JsonNode.Parse(reconcile.StandardOutput)!;
            Assert.Equal((Sales, Sales), (answer["lane"]!["sales"]!.GetValue<int>(), answer["cloud"]!["sales"]!.GetValue<int>()));

            var status = await LaneRun.RunAsync(env, "status", "--json");
            var counts = JsonNode.Parse(status.StandardOutput)!;
            Assert.Equal(counts["lastSequence"]!.GetValue<long>(), counts["counts"]!["cloud_ack"]!.GetValue<long>());
            Assert.DoesNotContain(key, status.StandardOutput + reconcile.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Equal(Sales, await CloudQueries.CountAsync(cloud.DbUrl, Db + "transactions where store_id = @value and terminal_id = 'L1'", a));
        Assert.Equal(Sales, await CloudQueries.CountAsync(cloud.DbUrl, Db + "transactions where store_id = @value and terminal_id = 'L1'", b));
    }

    [Fact]
    public async Task A_lane_with_another_store_s_key_is_refused_and_writes_nothing()
    {
        var cloud = await LocalCloud.EnsureUpAsync();
        var (a, b) = ($"e3a-{Guid.NewGuid():N}"[..16], $"e3b-{Guid.NewGuid():N}"[..16]);
        var keyA = await cloud.IssueStoreKeyAsync(a);
        using var lane = new LaneDirectory("L1");
        var env = Environment(lane, cloud, b, keyA.Key); // claims store B, holds A's key

        Assert.Equal(0, (await LaneRun.RunAsync(env, "simulate", "--events", "3", "--seed", "5")).ExitCode);
        var sync = await LaneRun.RunAsync(env, "sync-now", "--json");

        Assert.Equal(3, sync.ExitCode); // configuration: an operator must fix the key
        Assert.Contains("POSBUS_STORE_KEY", sync.StandardOutput + sync.StandardError, StringComparison.Ordinal);
        Assert.Contains("403", sync.StandardOutput + sync.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(keyA.Key, sync.StandardOutput + sync.StandardError, StringComparison.Ordinal);
        Assert.Equal(0L, await CloudQueries.CountAsync(cloud.DbUrl, "select count(*) from pos_messages where store_id = any(@value)", new[] { a, b }));
    }

    static Dictionary<string, string> Environment(LaneDirectory lane, LocalCloud cloud, string store, string key)
    {
        var environment = lane.Environment();
        environment["STORE_ID"] = store;
        environment["SUPABASE_URL"] = cloud.Url.ToString();
        environment["POSBUS_STORE_KEY"] = key;
        environment["POSBUS__CloudSync__Interval"] = "01:00:00";
        return environment;
    }
}
