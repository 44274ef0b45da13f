using PosBus.Terminal.Demo;

namespace PosBus.EndToEnd.Tests.ConsumerApp;

/// <summary>Starts <see cref="StockApp"/> as its own process on a lane's directory, logging to a file of its own.</summary>
public static class StockAppProcess
{
    public static LaneProcess Start(LaneDirectory lane, IReadOnlyDictionary<string, string> environment, string name) =>
        LaneProcess.Start(typeof(StockApp).Assembly.Location, ["consumer-app", lane.Path, lane.TerminalId], environment, LogPath(lane, name));

    public static string LogPath(LaneDirectory lane, string name) => Path.Combine(lane.Path, $"{name}.log");

    /// <summary>The log so far (the process may still be writing it).</summary>
    public static string ReadLog(LaneDirectory lane, string name)
    {
        using var stream = new FileStream(LogPath(lane, name), FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
