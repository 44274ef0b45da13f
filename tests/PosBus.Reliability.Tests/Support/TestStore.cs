using System.Globalization;
using PosBus.Terminal.Demo;
using PosBus.TestSupport;
using LocalCloud = PosBus.TestSupport.LocalCloud;

namespace PosBus.Reliability.Tests.Support;

/// <summary>
/// Lanes of one store as real processes of the Terminal's build output (the demo store's plan: one secret, free ports,
/// every lane dialing the others), in a temp folder removed at the end. The cloud stage is off unless a cloud is given.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    readonly List<LaneProcess> _processes = [];

    TestStore(string workDirectory, IReadOnlyList<Dictionary<string, string>> environments)
    {
        WorkDirectory = workDirectory;
        Environments = environments;
    }

    public string WorkDirectory { get; }

    /// <summary>Each lane's environment; a test may change it before starting the lane.</summary>
    public IReadOnlyList<Dictionary<string, string>> Environments { get; }

    public static TestStore Plan(int lanes, LocalCloud? cloud = null)
    {
        var workDirectory = Path.Combine(Path.GetTempPath(), "posbus-reliability", Guid.NewGuid().ToString("N"));
        var plan = DemoStore.Plan(lanes, workDirectory, cloud?.Url.ToString().TrimEnd('/') ?? "", cloud?.ServiceKey ?? "");
        return new TestStore(workDirectory, plan.Lanes.Select(l => new Dictionary<string, string>(l.Environment)).ToList());
    }

    public int Port(int lane) => int.Parse(Environments[lane]["TERMINAL_PORT"], CultureInfo.InvariantCulture);

    public string DataDirectory(int lane) => Environments[lane]["POSBUS_DATA_DIR"];

    public string DatabasePath(int lane) => Path.Combine(DataDirectory(lane), "posbus.db");

    public string PeerUrl(int lane) => $"ws://127.0.0.1:{Port(lane)}/posbus/peer";

    /// <summary>Where the test keeps what lane <paramref name="lane"/>'s processes print: outside its data folder, which a test may fill up.</summary>
    public string LogDirectory(int lane) => Path.Combine(WorkDirectory, "logs", Environments[lane]["TERMINAL_ID"]);

    /// <summary>Everything lane <paramref name="lane"/>'s processes printed, and the lane's own log files.</summary>
    public string Logs(int lane) =>
        string.Join('\n', new[] { LogDirectory(lane), DataDirectory(lane) }.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.log", SearchOption.AllDirectories)).Select(ReadShared));

    public string Log(int lane, string logName) => ReadShared(Path.Combine(LogDirectory(lane), logName));

    public LaneProcess Start(int lane, string logName, IReadOnlyList<string> arguments, Action<string>? onOutputLine = null)
    {
        var process = LaneProcess.Start(BuildOutput.TerminalDll, arguments, Environments[lane], Path.Combine(LogDirectory(lane), logName), onOutputLine);
        _processes.Add(process);
        return process;
    }

    /// <summary>The lane itself, answered on /health before this returns.</summary>
    public async Task<LaneProcess> RunAsync(int lane)
    {
        var process = Start(lane, "run.log", ["run"]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var healthy = await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{Port(lane)}/health"));
                return response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return process.HasExited;
            }
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        Assert.True(healthy && !process.HasExited, $"lane {lane} did not answer /health:\n{Logs(lane)}");
        return process;
    }

    /// <summary>A `simulate --print-ids` writer on the lane's database; <paramref name="committed"/> gets each sale id once its commit returned.</summary>
    public LaneProcess Simulate(int lane, int events, double rate, ICollection<Guid> committed, string logName = "simulate.log") =>
        Start(lane, logName, ["simulate", "--events", events.ToString(CultureInfo.InvariantCulture), "--rate", rate.ToString(CultureInfo.InvariantCulture), "--print-ids"], line =>
        {
            if (line.StartsWith("COMMITTED ", StringComparison.Ordinal) && Guid.TryParse(line.AsSpan(10), out var id))
            {
                lock (committed)
                {
                    committed.Add(id);
                }
            }
        });

    /// <summary>How many ids a writer's output callback has recorded so far.</summary>
    public static int Count(ICollection<Guid> committed)
    {
        lock (committed)
        {
            return committed.Count;
        }
    }

    static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A mount or a file held a moment longer: the temp cleaner takes the rest.
        }
    }
}
