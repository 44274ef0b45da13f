using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PosBus.EndToEnd.Tests.Operations;

/// <summary>
/// The operations surface of a running lane process: liveness and readiness, <c>/status</c> with the old keys and the
/// new ones, <c>/metrics</c> agreeing with <c>/status</c> and carrying the cloud and SQLite measurements, the page, and
/// the service key nowhere.
/// </summary>
public sealed partial class When_a_lane_serves_operations
{
    [Fact]
    public async Task Health_readiness_status_metrics_and_page_tell_the_same_story()
    {
        await using var lane = await CloudLane.StartAsync("O");
        await lane.SimulateAsync(sales: 6, seed: 21);

        var before = await lane.Http.StatusAsync();
        Assert.True(before["counts"]!["pending"]!.GetValue<long>() >= 12, before.ToJsonString());
        Assert.True(before["oldestUnsentSaleAgeSeconds"]!.GetValue<double>() >= 0);
        Assert.NotNull(before["backlogAgeSeconds"]!["pending"]);

        var sync = await lane.RunAsync("sync-now", "--json");
        Assert.True(sync.ExitCode == 0, sync.StandardOutput + sync.StandardError);

        var (liveStatus, _, liveBody) = await lane.Http.GetAsync("/health");
        Assert.Equal(200, liveStatus);
        Assert.Contains("ok", liveBody, StringComparison.Ordinal);

        var (readyStatus, readyType, readyBody) = await lane.Http.GetAsync("/health/ready");
        Assert.Equal(200, readyStatus);
        Assert.Equal("application/json", readyType);
        var ready = JsonNode.Parse(readyBody)!;
        Assert.Equal("healthy", ready["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.Equal("healthy", ready["checks"]!["scheduler"]!["status"]!.GetValue<string>());

        var status = await lane.Http.StatusAsync();
        foreach (var key in new[] { "terminalId", "storeId", "database", "generatedAt", "counts", "oldestNotCloudAckedAgeSeconds", "oldestPendingAgeSeconds",
                     "lastSequence", "peers", "replicas", "cloud", "oldestUnsentSaleAgeSeconds", "backlogAgeSeconds", "alarms", "retention" })
        {
            Assert.True(status.ContainsKey(key), $"status lacks '{key}': {status.ToJsonString()}");
        }

        var acked = status["counts"]!["cloud_ack"]!.GetValue<long>();
        Assert.Equal(status["lastSequence"]!.GetValue<long>(), acked);
        Assert.Null(status["oldestUnsentSaleAgeSeconds"]);
        Assert.Equal(["not_peer_acked", "not_in_cloud"], status["alarms"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()));

        var (metricsStatus, metricsType, metrics) = await lane.Http.GetAsync("/metrics");
        Assert.Equal(200, metricsStatus);
        Assert.Equal("text/plain", metricsType);
        Assert.Equal(acked, Sample(metrics, "posbus_messages{state=\"cloud_ack\"}"));
        Assert.Equal(0, Sample(metrics, "posbus_messages{state=\"pending\"}"));
        Assert.Equal(0, Sample(metrics, "posbus_oldest_unsent_sale_age_seconds"));
        Assert.Equal(0, Sample(metrics, "posbus_alarm_active{alarm=\"not_in_cloud\"}"));
        Assert.True(Sample(metrics, "posbus_cloud_upload_duration_seconds_count{outcome=\"ok\"}") >= 1, metrics);
        Assert.True(Sample(metrics, "posbus_sqlite_write_lock_wait_seconds_count") >= 1, metrics);
        Assert.True(status["cloud"]!["batchSize"]!.GetValue<int>() >= 1, status.ToJsonString());
        Assert.Equal(status["cloud"]!["batchSize"]!.GetValue<int>(), Sample(metrics, "posbus_cloud_batch_size"));
        Assert.Equal(status["cloud"]!["inFlight"]!.GetValue<int>(), Sample(metrics, "posbus_cloud_in_flight"));

        var (pageStatus, pageType, page) = await lane.Http.GetAsync("/");
        Assert.Equal(200, pageStatus);
        Assert.Equal("text/html", pageType);
        Assert.Contains("name=\"viewport\"", page, StringComparison.Ordinal);
        Assert.DoesNotMatch(ExternalReference(), page);

        var (deadStatus, _, dead) = await lane.Http.GetAsync("/dead-letters");
        Assert.Equal(200, deadStatus);
        Assert.Empty(JsonNode.Parse(dead)!.AsArray());

        foreach (var text in new[] { status.ToJsonString(), metrics, page, readyBody, lane.ReadLog() })
        {
            Assert.DoesNotContain(lane.Cloud.ServiceKey, text, StringComparison.Ordinal);
        }
    }

    /// <summary>The value of one sample line (<c>name{labels} value</c>) of the Prometheus text.</summary>
    static double Sample(string metrics, string series)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no sample '{series}' in:\n{metrics}");
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>A script, style or image loaded from another host: the lane has no internet, so the page must not need one.</summary>
    [GeneratedRegex("""(src|href)\s*=\s*["']?(https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
