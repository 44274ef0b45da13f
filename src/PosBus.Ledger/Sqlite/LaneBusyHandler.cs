using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace PosBus.Ledger.Sqlite;

/// <summary>
/// Replaces SQLite's default lock wait (sleeps of 1, 2, 5 … 100 ms between polls) on lane connections with a
/// 1 ms poll that knows who is waiting: a foreground (POS) writer lights the database's <see cref="ForegroundBeacon"/>
/// while it waits, a background writer (<see cref="LaneWriterRole"/>) does not begin while the beacon is lit and polls less often.
/// With the default wait, a sale could sit out a whole busy timeout behind PosBus's own steady stream of short writes.
/// Both still give up after <c>busy_timeout</c>. SQLitePCLRaw does not wrap <c>sqlite3_busy_handler</c>, so it is
/// called in the bundled <c>e_sqlite3</c> library directly; where that fails, <c>PRAGMA busy_timeout</c> stays in force.
/// </summary>
public static partial class LaneBusyHandler
{
    // How long a background writer stands back for one waiting POS writer before it polls anyway, so that a POS
    // process committing without pause cannot starve PosBus's own work.
    const int BackgroundYieldLimitMs = 100;

    const int BackgroundPollMs = 4;

    // Keyed by the connection's DataSource as given (no path normalisation on every open: this runs per connection).
    static readonly ConcurrentDictionary<(string DataSource, int TimeoutMs), nint> SlotByDatabase = new();
    static readonly Lock SlotsGate = new();
    // Copied on write, so that the busy callback reads its slot without taking a lock while SQLite waits.
    static (ForegroundBeacon Beacon, int TimeoutMs)[] _slots = [];
    static bool _unavailable;

    [ThreadStatic]
    static long t_waitStarted;

    /// <summary>Installs the handler on <paramref name="connection"/> (already open, pragmas applied).</summary>
    public static unsafe void Install(SqliteConnection connection, int timeoutMs)
    {
        if (_unavailable || connection.Handle is not { } handle)
        {
            return;
        }

        var slot = SlotFor(connection.DataSource, timeoutMs);
        try
        {
            // A non-zero result leaves the connection with its PRAGMA busy_timeout wait, which is still correct.
            _ = sqlite3_busy_handler(handle.DangerousGetHandle(), &OnBusy, slot);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
        }
    }

    /// <summary>For a background writer about to begin: waits (briefly) while a POS writer is waiting for the lock.</summary>
    public static async Task GiveWayAsync(string databasePath, CancellationToken cancellationToken)
    {
        var beacon = ForegroundBeacon.For(databasePath);
        var started = Stopwatch.GetTimestamp();
        while (beacon.IsLit && Stopwatch.GetElapsedTime(started).TotalMilliseconds < BackgroundYieldLimitMs)
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    static nint SlotFor(string databasePath, int timeoutMs) =>
        SlotByDatabase.GetOrAdd((databasePath, timeoutMs), key =>
        {
            lock (SlotsGate)
            {
                (ForegroundBeacon, int)[] slots = [.. _slots, (ForegroundBeacon.For(key.DataSource), key.TimeoutMs)];
                Volatile.Write(ref _slots, slots);
                return slots.Length - 1;
            }
        });

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int OnBusy(nint slot, int count)
    {
        try
        {
            if (count == 0)
            {
                t_waitStarted = Stopwatch.GetTimestamp();
            }

            var target = Volatile.Read(ref _slots)[(int)slot];

            if (Stopwatch.GetElapsedTime(t_waitStarted).TotalMilliseconds >= target.TimeoutMs)
            {
                return 0;
            }

            if (!LaneWriterRole.IsBackground)
            {
                target.Beacon.Light();
                Thread.Sleep(1);
                return 1;
            }

            // A background writer already stood back before it began (GiveWayAsync); once waiting it polls like anyone,
            // only less often, so that a POS writer polling every millisecond usually gets there first. Standing back
            // here as well starved peer copies and uploads into busy timeouts while two tills sold without pause.
            Thread.Sleep(BackgroundPollMs);
            return 1;
        }
        catch
        {
            // Nothing may unwind into SQLite: give up the wait, the caller sees SQLITE_BUSY.
            return 0;
        }
    }

    [LibraryImport("e_sqlite3")]
    private static unsafe partial int sqlite3_busy_handler(nint database, delegate* unmanaged[Cdecl]<nint, int, int> handler, nint argument);
}
