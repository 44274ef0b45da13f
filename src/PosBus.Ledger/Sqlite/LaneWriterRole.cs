namespace PosBus.Ledger.Sqlite;

/// <summary>
/// Who is asking for SQLite's single write lock, carried with the async flow. POS code is the default (foreground):
/// a customer is waiting at the till. PosBus's own writers (peer copies, acks, cloud verdicts, local consumer deliveries,
/// retention) mark themselves background and give way to a waiting POS writer, in this process or another
/// (<see cref="ForegroundBeacon"/>), so that a large upload or a replay never makes a sale wait for seconds.
/// </summary>
public static class LaneWriterRole
{
    static readonly AsyncLocal<bool> Background = new();

    public static bool IsBackground => Background.Value;

    /// <summary>Marks writes in the current async flow as background until the scope is disposed.</summary>
    public static Scope AsBackground()
    {
        var previous = Background.Value;
        Background.Value = true;
        return new Scope(previous);
    }

    public readonly struct Scope(bool previous) : IDisposable
    {
        public void Dispose() => Background.Value = previous;
    }
}
