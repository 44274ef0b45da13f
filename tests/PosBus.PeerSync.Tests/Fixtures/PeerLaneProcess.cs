using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Sqlite;
using PosBus.TestSupport;

namespace PosBus.PeerSync.Tests.Fixtures;

/// <summary>A lane running as its own OS process (<see cref="PeerLaneHostProgram"/>) on a fixed port and data directory, that a test can kill -9 and start again.</summary>
public sealed class PeerLaneProcess : IPeerLaneFiles, IAsyncDisposable
{
    Process? _process;

    public PeerLaneProcess(string terminalId, string peers = "")
    {
        TerminalId = terminalId;
        Peers = peers;
        Port = FreePort.Next();
        DataDirectory = Path.Combine(Path.GetTempPath(), "posbus-peer-tests", $"{terminalId}-process-{Guid.NewGuid():N}");
        Directory.CreateDirectory(DataDirectory);
        Database = new LaneDatabase(Options.Create(new LaneDatabaseOptions { DataDirectory = DataDirectory }));
    }

    public string TerminalId { get; }

    public string Peers { get; }

    public int Port { get; }

    public string DataDirectory { get; }

    public LaneDatabase Database { get; }

    public string Url => $"ws://127.0.0.1:{Port}/posbus/peer";

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(PeerLaneHostProgram).Assembly.Location);
        start.ArgumentList.Add("peer-lane");
        start.Environment["TERMINAL_ID"] = TerminalId;
        start.Environment["TERMINAL_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PEER_TERMINALS"] = Peers;
        start.Environment["STORE_SECRET"] = PeerTestLane.Secret;
        start.Environment["POSBUS_DATA_DIR"] = DataDirectory;
        var process = Process.Start(start)!;
        _process = process;
        _ = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.Contains("READY", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return;
            }
        }

        throw new InvalidOperationException($"lane process {TerminalId} exited before READY (code {(process.HasExited ? process.ExitCode : -1)})");
    }

    /// <summary>SIGKILL: no shutdown code runs, whatever was not committed is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
