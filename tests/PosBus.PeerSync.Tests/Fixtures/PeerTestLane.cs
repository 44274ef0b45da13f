using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PosBus.Ledger;
using PosBus.Ledger.Sqlite;
using PosBus.PeerSync.Status;
using PosBus.TestSupport;

namespace PosBus.PeerSync.Tests.Fixtures;

/// <summary>
/// One lane hosted in the test process: a real WebApplication with Kestrel on a free 127.0.0.1 port and its own
/// SQLite file in a temp directory. Stop and start it again on the same files and port to prove durability.
/// </summary>
public sealed class PeerTestLane : IPeerLaneFiles, IAsyncDisposable
{
    public const string Secret = "test-store-secret-0123456789";

    WebApplication? _app;

    PeerTestLane(string terminalId, string dataDirectory, int port)
    {
        TerminalId = terminalId;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string TerminalId { get; }

    public string DataDirectory { get; }

    public int Port { get; }

    public string Scheme { get; init; } = "ws";

    /// <summary>Settings on top of the test defaults (e.g. <c>PeerSync:Peers</c>), applied at every start.</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    public TimeProvider? Clock { get; init; }

    public PeerLogCapture Logs { get; } = new();

    public string Url => $"{Scheme}://127.0.0.1:{Port}/posbus/peer";

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException($"lane {TerminalId} is not running");

    public LaneDatabase Database { get; private set; } = null!;

    public static PeerTestLane Create(string terminalId, Action<Dictionary<string, string?>>? settings = null, TimeProvider? clock = null, string scheme = "ws")
    {
        var directory = Path.Combine(Path.GetTempPath(), "posbus-peer-tests", $"{terminalId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var lane = new PeerTestLane(terminalId, directory, FreePort.Next()) { Clock = clock, Scheme = scheme };
        settings?.Invoke(lane.Settings);
        lane.Database = new LaneDatabase(Microsoft.Extensions.Options.Options.Create(new LaneDatabaseOptions { DataDirectory = directory }));
        return lane;
    }

    public void DialsTo(params PeerTestLane[] peers) => Settings["PeerSync:Peers"] = string.Join(',', peers.Select(p => p.Url));

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = DataDirectory, EnvironmentName = "Test" });
        var settings = new Dictionary<string, string?>
        {
            ["Lane:TerminalId"] = TerminalId,
            ["Lane:StoreId"] = "store-1",
            ["Database:DataDirectory"] = DataDirectory,
            ["PeerSync:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PeerSync:StoreSecret"] = Secret,
            ["PeerSync:HeartbeatIntervalMs"] = "200",
            ["PeerSync:DeadLinkTimeoutMs"] = "2000",
            ["PeerSync:ReconnectBaseMs"] = "50",
            ["PeerSync:ReconnectMaxMs"] = "400",
            ["PeerSync:HelloTimeoutMs"] = "2000",
            ["PeerSync:PollIntervalMs"] = "250",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Logs);
        builder.Services.AddPosBusPeerSync(builder.Configuration);
        if (Clock is not null)
        {
            builder.Services.AddSingleton(Clock);
        }

        var app = builder.Build();
        app.MapPosBusPeerSync();
        await app.StartAsync();
        _app = app;
    }

    /// <summary>A graceful stop (the host's shutdown path); the files stay.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public LedgerSignals Signals => Services.GetRequiredService<LedgerSignals>();

    public PeerSyncStatus Status => Services.GetRequiredService<PeerSyncStatus>();

    /// <summary>Commits <paramref name="count"/> own rows as the outbox would (in transactions of <paramref name="perTransaction"/>) and wakes senders.</summary>
    public async Task<IReadOnlyList<Guid>> WriteSalesAsync(int count, int perTransaction = 1)
    {
        var ids = await PeerOutboxWriter.InsertAsync(Database, TerminalId, count, perTransaction);
        if (_app is not null)
        {
            Signals.OutboxCommitted.Pulse();
        }

        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the temp directory is cleaned by the OS later.
        }
    }
}
