using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using PosBus.Operations;
using PosBus.PeerSync.Hosting;

namespace PosBus.Testing;

/// <summary>
/// A PosBus lane of the app's own <typeparamref name="TDbContext"/> in the test process, started exactly as the app's host
/// starts one (<c>AddPosBus</c> + <c>MapPosBus</c>) on a real SQLite file in a temp directory, with the MassTransit test
/// harness (<see cref="Harness"/>). Publish through the app's code (or <see cref="SaveAsync"/>) and wait for the facts:
/// <see cref="WaitForConsumedAsync{TConsumer}"/>, <see cref="WaitForPeerAckAsync"/>, <see cref="WaitForCloudAckAsync"/>.
/// Disposing stops the lane and removes the temp directory it made. Started by <see cref="TestLane.StartAsync{TDbContext}"/>.
/// </summary>
public sealed class TestLane<TDbContext> : IAsyncDisposable
    where TDbContext : DbContext
{
    static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    readonly WebApplication _app;
    readonly string? _ownedDirectory;
    bool _stopped;

    TestLane(WebApplication app, string terminalId, int port, string? ownedDirectory)
    {
        _app = app;
        _ownedDirectory = ownedDirectory;
        TerminalId = terminalId;
        Port = port;
    }

    /// <summary>The lane's terminal id.</summary>
    public string TerminalId { get; }

    /// <summary>The lane's HTTP port on 127.0.0.1: the peer WebSocket and the status endpoints.</summary>
    public int Port { get; }

    /// <summary>The lane's base address (status page, <c>/status</c>, <c>/health/ready</c>, <c>/metrics</c>).</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>The lane database file (the app's tables and the ledger).</summary>
    public string DatabasePath => Services.GetRequiredService<IOptions<LaneDatabaseOptions>>().Value.DatabasePath;

    /// <summary>The lane's services, as the app's host has them.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>MassTransit's test harness: what was published, sent and consumed on this lane's bus.</summary>
    public ITestHarness Harness => Services.GetRequiredService<ITestHarness>();

    /// <summary>Starts a lane from <paramref name="options"/> (see <see cref="TestLane"/>).</summary>
    internal static async Task<TestLane<TDbContext>> StartAsync(TestLaneOptions<TDbContext> options, CancellationToken cancellationToken)
    {
        var ownedDirectory = options.DataDirectory is null
            ? Path.Combine(Path.GetTempPath(), "posbus-test-lanes", $"{options.TerminalId}-{Guid.NewGuid():N}")
            : null;
        var port = options.Port != 0 ? options.Port : UnusedLoopbackPort.Next();
        var app = Build(options, ownedDirectory ?? options.DataDirectory!, port);
        var lane = new TestLane<TDbContext>(app, options.TerminalId, port, ownedDirectory);
        try
        {
            await lane.PrepareAsync(options, cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return lane;
        }
        catch
        {
            await lane.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    static WebApplication Build(TestLaneOptions<TDbContext> options, string dataDirectory, int port)
    {
        Directory.CreateDirectory(dataDirectory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dataDirectory });
        // Only what the test says: no appsettings.json, no environment variables (a developer's SUPABASE_URL must not leak in).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(TestLaneConfiguration.For(options, dataDirectory, port));
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        var peerSync = builder.Configuration.GetValue<bool>("PosBus:PeerSync");
        if (!peerSync)
        {
            // With peer sync on, PeerSync:Port is where Kestrel listens; without it the endpoints still need a port of their own.
            builder.WebHost.UseUrls(new Uri($"http://127.0.0.1:{port}").ToString());
        }

        builder.Services.AddDbContext<TDbContext>((services, db) => db.UsePosBusSqlite(services));
        options.Services?.Invoke(builder.Services);
        builder.Services.AddPosBus<TDbContext>(builder.Configuration, posbus =>
        {
            posbus.UseMassTransitTestHarness = true;
            options.PosBus?.Invoke(posbus);
        });
        // The harness's test timeout would cancel its waits after 30 s; a lane in a longer test stays usable.
        builder.Services.Configure<TestHarnessOptions>(harness => harness.TestTimeout = TimeSpan.FromMinutes(10));
        var app = builder.Build();
        try
        {
            app.MapPosBus();
            return app;
        }
        catch
        {
            // Options are validated as the endpoints resolve them: a bad setting must not leave a half-built host behind.
            ((IDisposable)app).Dispose();
            throw;
        }
    }

    async Task PrepareAsync(TestLaneOptions<TDbContext> options, CancellationToken cancellationToken)
    {
        if (options.Prepare is null)
        {
            return;
        }

        var scope = Services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            await options.Prepare(scope.ServiceProvider.GetRequiredService<TDbContext>(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a new scope with the app's DbContext and the scope's publish endpoint, then
    /// <c>SaveChangesAsync</c>: the app's rows and the published messages commit together, as in the app.
    /// </summary>
    public async Task SaveAsync(Func<TDbContext, IPublishEndpoint, Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var scope = Services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            await work(db, scope.ServiceProvider.GetRequiredService<IPublishEndpoint>()).ConfigureAwait(false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="work"/> with a service of the lane resolved in a new scope (e.g. the app's checkout service).</summary>
    public async Task<TResult> InScopeAsync<TService, TResult>(Func<TService, Task<TResult>> work)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(work);
        var scope = Services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await work(scope.ServiceProvider.GetRequiredService<TService>()).ConfigureAwait(false);
        }
    }

    /// <summary>Where the message stands in this lane's ledger, or null when the lane holds no copy.</summary>
    public Task<LedgerMessage?> FindMessageAsync(Guid messageId, CancellationToken cancellationToken = default) =>
        Services.GetRequiredService<MessageLookupStore>().FindAsync(messageId, cancellationToken);

    /// <summary>
    /// The messages this lane committed (its own outbox rows, in commit order), e.g. to find the ids of what the app's code
    /// published; <paramref name="topic"/> narrows to one topic (<c>transaction</c>, <c>inventory</c>, <c>customer</c>, ...).
    /// </summary>
    public async Task<IReadOnlyList<LedgerRow>> CommittedMessagesAsync(string? topic = null, CancellationToken cancellationToken = default)
    {
        var rows = await Services.GetRequiredService<SyncLedger>().ReadAfterAsync(0, int.MaxValue, cancellationToken).ConfigureAwait(false);
        return topic is null ? rows : rows.Where(r => r.Topic == topic).ToList();
    }

    /// <summary>Waits until <typeparamref name="TConsumer"/> on this lane has applied the message (its inbox mark is committed).</summary>
    public Task<LedgerMessage> WaitForConsumedAsync<TConsumer>(Guid messageId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForAsync(messageId, $"consumed by {typeof(TConsumer).Name}",
            m => m.Consumers.Any(c => c.Consumer == (typeof(TConsumer).FullName ?? typeof(TConsumer).Name)), timeout, cancellationToken);

    /// <summary>Waits until a peer holds a copy (state <c>peer_ack</c> or later on the origin; any copy on a peer).</summary>
    public Task<LedgerMessage> WaitForPeerAckAsync(Guid messageId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForAsync(messageId, LedgerStatus.PeerAck, m => m.IsPeerAcked, timeout, cancellationToken);

    /// <summary>Waits until the cloud acknowledged the message (state <c>cloud_ack</c>).</summary>
    public Task<LedgerMessage> WaitForCloudAckAsync(Guid messageId, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForAsync(messageId, LedgerStatus.CloudAck, m => m.IsCloudAcked, timeout, cancellationToken);

    /// <summary>Waits until this lane holds the message in <paramref name="status"/> (<see cref="LedgerStatus"/>).</summary>
    public Task<LedgerMessage> WaitForStatusAsync(Guid messageId, string status, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForAsync(messageId, status, m => m.Status == status, timeout, cancellationToken);

    /// <summary>Waits until the harness saw a <typeparamref name="T"/> consumed that matches <paramref name="filter"/>.</summary>
    public async Task<T> WaitForHarnessConsumedAsync<T>(Func<T, bool>? filter = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where T : class
    {
        var found = await StateWait.UntilAsync(
            () => Task.FromResult(Harness.Consumed.Select<T>(m => filter?.Invoke(m.Context.Message) ?? true).Select(m => m.Context.Message).FirstOrDefault()),
            timeout ?? DefaultTimeout, cancellationToken).ConfigureAwait(false);
        return found ?? throw new TimeoutException($"Lane {TerminalId}: no {typeof(T).Name} consumed within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s.");
    }

    async Task<LedgerMessage> WaitForAsync(Guid messageId, string what, Func<LedgerMessage, bool> reached, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        LedgerMessage? last = null;
        var found = await StateWait.UntilAsync(async () =>
        {
            last = await FindMessageAsync(messageId, cancellationToken).ConfigureAwait(false);
            if (last is { IsDeadLetter: true } && what != LedgerStatus.DeadLetter)
            {
                throw new InvalidOperationException($"Lane {TerminalId}: message {messageId} is a dead letter ({last.LastError}); it will never be {what}.");
            }

            return last is not null && reached(last) ? last : null;
        }, timeout ?? DefaultTimeout, cancellationToken).ConfigureAwait(false);
        return found ?? throw new TimeoutException(
            $"Lane {TerminalId}: message {messageId} not {what} within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s; " +
            (last is null ? "the lane holds no copy." : $"it is {last.Status}, consumed by [{string.Join(", ", last.Consumers.Select(c => c.Consumer))}]."));
    }

    /// <summary>Stops the lane (as the app's host stops) and keeps its files until disposal, e.g. to restart on them.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (_ownedDirectory is not null)
        {
            SqliteConnection.ClearAllPools();
            TryDelete(_ownedDirectory);
        }
    }

    static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open for a moment: the temp cleaner takes the rest.
        }
    }
}
