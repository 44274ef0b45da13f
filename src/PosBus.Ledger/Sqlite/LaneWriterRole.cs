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

    /// <summary>
    /// Marks writes in the current async flow as foreground until the scope is disposed: for the WAL's RESTART, which
    /// competes for the lock like a till (a background poll hardly ever caught the lock free while a POS wrote without
    /// pause) and holds it only briefly.
    /// </summary>
    public static Scope AsForeground()
    {
        var previous = Background.Value;
        Background.Value = false;
        return new Scope(previous);
    }

    public readonly struct Scope(bool previous) : IDisposable
    {
        public void Dispose() => Background.Value = previous;
    }
}
