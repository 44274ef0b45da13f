using System.Globalization;
using PosBus.Terminal.Demo;
using PosBus.TestSupport;

namespace PosBus.Chaos;

/// <summary>
/// One lane of the chaos store: its `run` process, a `simulate` writer on the same database, and a cuttable TCP relay in
/// front of its listener that the other lanes dial. Every start and kill of its processes goes through one gate, so the
/// monkey never kills a process that is being started.
/// </summary>
public sealed class ChaosLane : IAsyncDisposable
{
    readonly SemaphoreSlim _gate = new(1, 1);
    readonly CommittedSales _sales;
    readonly string _terminalDll;
    LaneProcess? _run;
    LaneProcess? _writer;
    int _writerStarts;

    public ChaosLane(DemoStore.Lane lane, PeerTcpProxy relay, IReadOnlyDictionary<string, string> environment, string terminalDll, CommittedSales sales)
    {
        TerminalId = lane.TerminalId;
        Port = lane.Port;
        DataDirectory = lane.DataDirectory;
        Relay = relay;
        Environment = environment;
        _terminalDll = terminalDll;
        _sales = sales;
    }

    public string TerminalId { get; }

    public int Port { get; }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "posbus.db");

    public PeerTcpProxy Relay { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Runs <paramref name="action"/> unless another action on this lane is under way; false when it was busy.</summary>
    public async Task<bool> TryExclusiveAsync(Func<Task> action)
    {
        if (!await _gate.WaitAsync(0))
        {
            return false;
        }

        try
        {
            await action();
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ExclusiveAsync(Func<Task> action)
    {
        await _gate.WaitAsync();
        try
        {
            await action();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StartRunAsync()
    {
        await DisposeAsync(_run);
        _run = LaneProcess.Start(_terminalDll, ["run"], Environment, Path.Combine(DataDirectory, "run.log"));
    }

    public async Task StartWriterAsync(double rate)
    {
        await DisposeAsync(_writer);
        var seed = (TerminalId.GetHashCode(StringComparison.Ordinal) & 0xffff) * 1000 + _writerStarts++;
        _writer = LaneProcess.Start(
            _terminalDll,
            ["simulate", "--events", "100000000", "--rate", rate.ToString(CultureInfo.InvariantCulture), "--print-ids", "--seed", seed.ToString(CultureInfo.InvariantCulture)],
            Environment,
            Path.Combine(DataDirectory, "writer.log"),
            _sales.Observe);
    }

    /// <summary>kill -9 of the lane process: no shutdown hook runs, an upload or a peer batch may be mid-flight.</summary>
    public Task KillRunAsync() => KillAsync(_run);

    /// <summary>kill -9 of the writer: it may be inside a SaveChanges.</summary>
    public Task KillWriterAsync() => KillAsync(_writer);

    public bool RunIsAlive => _run is { HasExited: false };

    public bool WriterIsAlive => _writer is { HasExited: false };

    /// <summary>The writer's exit code when it stopped by itself (a crash the monkey did not cause), else null.</summary>
    public int? WriterExitCode => _writer is { HasExited: true } writer ? writer.ExitCode : null;

    public async Task StopWriterAsync()
    {
        if (_writer is not null)
        {
            await _writer.StopAsync(TimeSpan.FromSeconds(20));
        }
    }

    public async Task StopRunAsync()
    {
        if (_run is not null)
        {
            await _run.StopAsync(TimeSpan.FromSeconds(30));
        }
    }

    static async Task KillAsync(LaneProcess? process)
    {
        if (process is not null)
        {
            await process.KillAsync();
        }
    }

    /// <summary>Stops (if still alive) and releases an earlier process, and closes its log file.</summary>
    static async Task DisposeAsync(LaneProcess? process)
    {
        if (process is not null)
        {
            await process.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeAsync(_writer);
        await DisposeAsync(_run);
        await Relay.DisposeAsync();
        _gate.Dispose();
    }
}
