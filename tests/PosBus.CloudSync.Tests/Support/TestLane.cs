using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PosBus.CloudSync.Cli;
using PosBus.CloudSync.Http;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Stores;

namespace PosBus.CloudSync.Tests.Support;

/// <summary>
/// The cloud stage of one lane wired as the host wires it (<see cref="CloudSyncServiceCollectionExtensions.AddPosBusCloudSync"/>),
/// on a <see cref="TestLedger"/>, with a fake clock and every log line captured.
/// </summary>
public sealed class TestLane : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    TestLane(ServiceProvider provider, FakeTimeProvider time, CapturingLoggerProvider logs)
    {
        Provider = provider;
        Time = time;
        Logs = logs;
    }

    public ServiceProvider Provider { get; }

    public FakeTimeProvider Time { get; }

    public CapturingLoggerProvider Logs { get; }

    public CloudSyncNow SyncNow => Provider.GetRequiredService<CloudSyncNow>();

    public DeadLetters DeadLetters => Provider.GetRequiredService<DeadLetters>();

    public CloudSyncStatusReader Status => Provider.GetRequiredService<CloudSyncStatusReader>();

    /// <param name="settings">Configuration keys as the host sees them (e.g. <c>CloudSync:BatchSize</c>).</param>
    /// <param name="handler">Replaces the network (a <see cref="StubCloud"/>); null talks to <paramref name="settings"/>' URL.</param>
    public static TestLane Create(TestLedger ledger, IDictionary<string, string?> settings, HttpMessageHandler? handler = null,
        string terminal = "L1", Action<IServiceCollection>? configure = null, string store = "store-1")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var time = new FakeTimeProvider(Start);
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(Options.Create(ledger.Options));
        services.AddSingleton(ledger.Database);
        services.AddSingleton(Options.Create(new LaneOptions { TerminalId = terminal, StoreId = store }));
        services.AddPosBusCloudSync(configuration);
        if (handler is not null)
        {
            services.AddHttpClient(SupabaseFunctionClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        }

        configure?.Invoke(services);
        return new TestLane(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }), time, logs);
    }

    /// <summary>Settings for a lane that talks to <paramref name="url"/> with <paramref name="key"/>; more keys may follow.</summary>
    public static Dictionary<string, string?> Settings(string url, string key, params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CloudSync:SupabaseUrl"] = url,
            ["CloudSync:ServiceKey"] = key,
            ["CloudSync:BackoffBaseMs"] = "1000",
            ["CloudSync:BackoffMaxMs"] = "60000",
            ["CloudSync:HttpTimeout"] = "00:00:10",
            ["CloudSync:PassTimeBudget"] = "00:05:00",
        };
        foreach (var (k, v) in more)
        {
            settings[k] = v;
        }

        return settings;
    }

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
