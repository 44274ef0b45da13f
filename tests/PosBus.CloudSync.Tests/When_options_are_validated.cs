using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PosBus.CloudSync.Tests;

public class When_options_are_validated
{
    static CloudSyncOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddPosBusCloudSync(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<CloudSyncOptions>>().Value;
    }

    [Fact]
    public void Reports_every_bad_key_at_once_by_name()
    {
        var result = new CloudSyncOptionsValidator().Validate(null, new CloudSyncOptions
        {
            SupabaseUrl = "ftp://cloud", ServiceKey = "", BatchSize = 0, Cron = "not a cron", BackoffBaseMs = 0, HttpTimeout = TimeSpan.Zero,
            PoisonAfterFailures = 0,
        });

        Assert.True(result.Failed);
        var text = result.FailureMessage;
        foreach (var key in new[] { "CloudSync:SupabaseUrl (SUPABASE_URL)", "CloudSync:ServiceKey (SUPABASE_SERVICE_KEY)", "CloudSync:BatchSize", "CloudSync:Cron", "CloudSync:BackoffBaseMs (SYNC_BACKOFF_BASE_MS)", "CloudSync:HttpTimeout", "CloudSync:PoisonAfterFailures" })
        {
            Assert.Contains(key, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Adaptive_bounds_below_their_starting_values_or_a_zero_target_latency_are_refused_by_name()
    {
        var result = new CloudSyncOptionsValidator().Validate(null, new CloudSyncOptions
        {
            BatchSize = 100, MaxBatchSize = 99, MaxInFlightBatches = 4, MaxInFlightLimit = 3, TargetLatency = TimeSpan.Zero,
        });

        Assert.Contains("CloudSync:MaxBatchSize must be between 100 and 10000; got 99.", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("CloudSync:MaxInFlightLimit must be between 4 and 64; got 3.", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("CloudSync:TargetLatency must be greater than zero", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new CloudSyncOptionsValidator().Validate(null, new CloudSyncOptions { BatchSize = 1000, MaxBatchSize = 1000, MaxInFlightBatches = 4, MaxInFlightLimit = 4 }).Succeeded);
    }

    [Fact]
    public void A_relative_url_is_refused_when_sync_is_enabled()
    {
        var result = new CloudSyncOptionsValidator().Validate(null, new CloudSyncOptions { SupabaseUrl = "cloud.example/x", ServiceKey = "k" });
        Assert.Contains("CloudSync:SupabaseUrl", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_off_stage_needs_neither_url_nor_key()
    {
        Assert.True(new CloudSyncOptionsValidator().Validate(null, new CloudSyncOptions()).Succeeded);
        Assert.True(new CloudSyncOptionsValidator().Validate(null, new CloudSyncOptions { Enabled = false, SupabaseUrl = "http://x" }).Succeeded);
    }

    [Fact]
    public void A_key_in_a_configuration_file_is_refused()
    {
        var file = Path.Combine(Path.GetTempPath(), $"posbus-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "CloudSync": { "ServiceKey": "in-a-file" } }""");
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();
            Assert.True(CloudSyncConfiguration.ServiceKeyInFile(configuration));
            var result = new CloudSyncOptionsValidator(CloudSyncConfiguration.ServiceKeyInFile(configuration)).Validate(null, new CloudSyncOptions());
            Assert.Contains("must come from the environment", result.FailureMessage, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Binds_the_section_and_builds_the_function_url()
    {
        var options = Bind(new()
        {
            ["CloudSync:SupabaseUrl"] = "http://cloud:2/",
            ["CloudSync:ServiceKey"] = "k",
            ["CloudSync:BackoffBaseMs"] = "250",
            ["CloudSync:Cron"] = "0/5 * * * * ?",
        });

        Assert.Equal(250, options.BackoffBaseMs);
        Assert.Equal("0/5 * * * * ?", options.Cron);
        Assert.False(options.HasPeers);
        Assert.Equal(new Uri("http://cloud:2/functions/v1/sync-pos-message"), options.FunctionUri);
    }

    [Fact]
    public void Peers_in_the_peer_section_mean_pending_rows_wait()
    {
        Assert.True(Bind(new() { ["PeerSync:Peers:0"] = "L2=ws://127.0.0.1:5002" }).HasPeers);
        Assert.True(Bind(new() { ["PeerSync:Peers"] = "L2,L3" }).HasPeers);
        Assert.False(Bind(new() { ["PeerSync:Peers"] = " " }).HasPeers);
        Assert.False(Bind(new() { ["PeerSync:Peers:0"] = "L2", ["CloudSync:HasPeers"] = "false" }).HasPeers);
    }
}
