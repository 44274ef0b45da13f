using PosBus.Terminal.Demo;
using LocalCloud = PosBus.TestSupport.LocalCloud;

namespace PosBus.EndToEnd.Tests.Operations;

/// <summary>
/// One lane process (<c>run</c>) with the real local cloud, on its own port and data directory, for the operations
/// tests. Scheduled uploads are an hour apart unless <c>settings.local.json</c> says otherwise, so a test decides when
/// the cloud sees what. Verbs run beside it with <see cref="RunAsync"/>.
/// </summary>
public sealed class CloudLane : IAsyncDisposable
{
    readonly LaneDirectory _directory;
    LaneProcess? _process;

    CloudLane(LocalCloud cloud, LaneDirectory directory, Dictionary<string, string> environment)
    {
        Cloud = cloud;
        _directory = directory;
        Environment = environment;
        Http = new LaneHttp(directory.Port);
    }

    public LocalCloud Cloud { get; }
    public Dictionary<string, string> Environment { get; }
    public LaneHttp Http { get; }
    public string TerminalId => _directory.TerminalId;
    public int Port => _directory.Port;
    public string DatabasePath => _directory.DatabasePath;
    public string LocalSettingsPath => Path.Combine(_directory.Path, "settings.local.json");
    public string LogPath => Path.Combine(_directory.Path, "run.log");

    /// <param name="localSettings">settings.local.json written before the start (the lane's own config directory).</param>
    public static async Task<CloudLane> StartAsync(string prefix, string localSettings = """{ "CloudSync": { "Interval": "01:00:00" } }""")
    {
        var cloud = await LocalCloud.EnsureUpAsync();
        var directory = new LaneDirectory($"{prefix}{Guid.NewGuid():N}"[..12]);
        var environment = directory.Environment();
        environment["SUPABASE_URL"] = cloud.Url.ToString();
        environment["SUPABASE_SERVICE_KEY"] = cloud.ServiceKey;
        var lane = new CloudLane(cloud, directory, environment);
        await File.WriteAllTextAsync(lane.LocalSettingsPath, localSettings);
        lane._process = LaneProcess.Start(TerminalExecutable.DllPath, ["run"], environment, lane.LogPath);
        await lane.Http.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), lane.ReadLog);
        return lane;
    }

    public Task<LaneRun.Result> RunAsync(params string[] arguments) => LaneRun.RunAsync(Environment, arguments);

    /// <summary>Rings up sales in a second process beside the running lane; fails the test when it fails.</summary>
    public async Task SimulateAsync(int sales, int seed)
    {
        var result = await RunAsync("simulate", "--events", sales.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    public string ReadLog()
    {
        if (!File.Exists(LogPath))
        {
            return "(no log)";
        }

        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(20));
            await _process.DisposeAsync();
        }

        Http.Dispose();
        _directory.Dispose();
    }
}
