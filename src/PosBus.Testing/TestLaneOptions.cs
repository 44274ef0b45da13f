using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Operations;

namespace PosBus.Testing;

/// <summary>
/// How <see cref="TestLane{TDbContext}"/> starts a lane: who it is, which stages run, the app's own services and
/// consumers, and any configuration key as in <c>appsettings.json</c> (<see cref="Settings"/>, e.g.
/// <c>["Outbox:DeliveryBatchSize"] = "50"</c>). Defaults suit tests: a fresh temp directory, a free loopback port, fast
/// peer heartbeats and a cloud pass every second once a cloud is set.
/// </summary>
public sealed class TestLaneOptions<TDbContext>
    where TDbContext : DbContext
{
    /// <summary>The lane's terminal id (<c>Lane:TerminalId</c>).</summary>
    public string TerminalId { get; set; } = "L1";

    /// <summary>The store (<c>Lane:StoreId</c>); lanes of one store share it.</summary>
    public string StoreId { get; set; } = "test-store";

    /// <summary>The shared secret lanes of a store prove to each other (<c>PeerSync:StoreSecret</c>).</summary>
    public string StoreSecret { get; set; } = "posbus-test-store-secret-0123456789";

    /// <summary>Where the lane database lives; null means a new temp directory, removed when the lane is disposed.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The peer listener's port (<c>PeerSync:Port</c>); 0 picks an unused loopback port.</summary>
    public int Port { get; set; }

    /// <summary>Peer URLs this lane sends to (<c>PeerSync:Peers</c>); <see cref="TestStore{TDbContext}"/> fills them.</summary>
    public IList<Uri> Peers { get; } = [];

    /// <summary>Any configuration key, applied last (overrides what the other properties set).</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Stages (section <c>PosBus</c>). Peer sync runs only when the lane has peers or <see cref="PeerSync"/> is set;
    /// cloud sync only when <see cref="UseCloud"/> was called; operations (retention, status, endpoints) are on.
    /// </summary>
    public bool? PeerSync { get; set; }

    internal Uri? CloudUrl { get; private set; }

    internal string? CloudKey { get; private set; }

    internal bool StoreKey { get; private set; }

    internal Action<IServiceCollection>? Services { get; private set; }

    internal Action<PosBusConfigurator>? PosBus { get; private set; }

    internal Func<TDbContext, CancellationToken, Task>? Prepare { get; private set; }

    /// <summary>The app's own services (its checkout service, clock, ...); the DbContext is registered by the lane.</summary>
    public TestLaneOptions<TDbContext> ConfigureServices(Action<IServiceCollection> configure)
    {
        Services += configure;
        return this;
    }

    /// <summary>The app's consumers and bus settings, exactly as in its host's <c>AddPosBus</c> callback.</summary>
    public TestLaneOptions<TDbContext> ConfigurePosBus(Action<PosBusConfigurator> configure)
    {
        PosBus += configure;
        return this;
    }

    /// <summary>Shortcut for <c>ConfigurePosBus(posbus => posbus.ConfigureBus(...))</c>: <c>x.AddConsumer&lt;T&gt;()</c>.</summary>
    public TestLaneOptions<TDbContext> ConfigureBus(Action<IBusRegistrationConfigurator> configure) =>
        ConfigurePosBus(posbus => posbus.ConfigureBus(configure));

    /// <summary>Creates the app's own tables (and seeds them) before the lane starts; the ledger's tables PosBus makes itself.</summary>
    public TestLaneOptions<TDbContext> PrepareDatabase(Func<TDbContext, CancellationToken, Task> prepare)
    {
        Prepare = prepare;
        return this;
    }

    /// <summary>
    /// Uploads to the cloud at <paramref name="supabaseUrl"/> (a <see cref="FakeCloud"/> or the local cloud) every second.
    /// <paramref name="isStoreKey"/> sends <paramref name="key"/> as the store's key rather than the service key.
    /// </summary>
    public TestLaneOptions<TDbContext> UseCloud(Uri supabaseUrl, string key, bool isStoreKey = false)
    {
        ArgumentNullException.ThrowIfNull(supabaseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        CloudUrl = supabaseUrl;
        CloudKey = key;
        StoreKey = isStoreKey;
        return this;
    }
}
