using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.CloudSync.Tests.Support;

namespace PosBus.CloudSync.Tests;

/// <summary>
/// The CloudSync section retuned while the lane runs (a configuration reload, as a saved settings file causes): a valid
/// value replaces the current one and reaches listeners; an invalid one is logged with its key and changes nothing;
/// a value the binder cannot read is refused the same way.
/// </summary>
public sealed class When_settings_change_live
{
    readonly MemoryConfigurationProvider _source;
    readonly IConfigurationRoot _configuration;
    readonly CapturingLoggerProvider _logs = new();
    readonly ServiceProvider _provider;

    public When_settings_change_live()
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CloudSync:BatchSize"] = "50", ["CloudSync:Interval"] = "00:00:30" });
        _configuration = builder.Build();
        _source = _configuration.Providers.OfType<MemoryConfigurationProvider>().Single();
        var services = new ServiceCollection().AddLogging(l => l.AddProvider(_logs));
        services.AddPosBusCloudSync(_configuration);
        _provider = services.BuildServiceProvider();
    }

    IOptionsMonitor<CloudSyncOptions> Monitor => _provider.GetRequiredService<IOptionsMonitor<CloudSyncOptions>>();

    void Edit(string key, string value)
    {
        _source.Set(key, value);
        _configuration.Reload();
    }

    [Fact]
    public void A_valid_value_applies_and_is_announced()
    {
        var seen = new List<int>();
        using var subscription = Monitor.OnChange((o, _) => seen.Add(o.BatchSize));
        Assert.Equal(50, Monitor.CurrentValue.BatchSize);

        Edit("CloudSync:BatchSize", "200");

        Assert.Equal(200, Monitor.CurrentValue.BatchSize);
        Assert.Equal([200], seen);
        Assert.Contains("BatchSize 50 → 200", _logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_value_is_refused_by_key_and_the_old_value_stays()
    {
        var seen = new List<int>();
        using var subscription = Monitor.OnChange((o, _) => seen.Add(o.BatchSize));
        Assert.Equal(50, Monitor.CurrentValue.BatchSize);

        Edit("CloudSync:BatchSize", "0");
        Edit("CloudSync:Interval", "soon");

        Assert.Equal(50, Monitor.CurrentValue.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(30), Monitor.CurrentValue.Interval);
        Assert.Empty(seen);
        Assert.Contains("previous value stays: CloudSync:BatchSize must be between 1 and 10000; got 0.", _logs.All, StringComparison.Ordinal);
        Assert.Contains("CloudSync:Interval", _logs.Lines.Last(l => l.Contains("previous value stays", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void PoisonAfterFailures_retunes_live_and_a_value_below_one_is_refused()
    {
        Assert.Equal(3, Monitor.CurrentValue.PoisonAfterFailures);

        Edit("CloudSync:PoisonAfterFailures", "5");
        Edit("CloudSync:PoisonAfterFailures", "0");

        Assert.Equal(5, Monitor.CurrentValue.PoisonAfterFailures);
        Assert.Contains("PoisonAfterFailures 3 → 5", _logs.All, StringComparison.Ordinal);
        Assert.Contains("previous value stays: CloudSync:PoisonAfterFailures must be between 1 and 100; got 0.", _logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public void The_adaptive_window_s_switch_and_bounds_retune_live_and_bad_bounds_are_refused()
    {
        Assert.True(Monitor.CurrentValue.Adaptive);

        Edit("CloudSync:Adaptive", "false");
        Edit("CloudSync:MaxBatchSize", "400");
        Edit("CloudSync:MaxInFlightLimit", "1");

        Assert.Equal((false, 400, 4), (Monitor.CurrentValue.Adaptive, Monitor.CurrentValue.MaxBatchSize, Monitor.CurrentValue.MaxInFlightLimit));
        Assert.Contains("Adaptive True → False", _logs.All, StringComparison.Ordinal);
        Assert.Contains("previous value stays: CloudSync:MaxInFlightLimit must be between 2 and 64; got 1.", _logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public void The_service_key_never_appears_in_the_change_log()
    {
        _ = Monitor.CurrentValue;
        Edit("CloudSync:ServiceKey", "sb_secret_do_not_log");

        Assert.Equal("sb_secret_do_not_log", Monitor.CurrentValue.ServiceKey);
        Assert.DoesNotContain("sb_secret_do_not_log", _logs.All, StringComparison.Ordinal);
        Assert.Contains("ServiceKey changed", _logs.All, StringComparison.Ordinal);
    }
}
