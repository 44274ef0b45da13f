using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;

namespace PosBus.Ledger.Sqlite;

/// <summary>
/// Measures how long a write transaction waited for SQLite's write lock. Microsoft.Data.Sqlite begins every
/// transaction with <c>BEGIN IMMEDIATE</c>, which takes the lock (waiting up to <c>busy_timeout</c>), so the time
/// BEGIN takes is the lock wait. Published on meter <see cref="MeterName"/> for the lane's <c>/metrics</c>.
/// PosBus's own writers begin here, as background writers: they give way to a POS writer that is waiting.
/// </summary>
public static class SqliteWriteLock
{
    // The meter kept the name it had before the ledger left PosBus.Outbox: dashboards and /metrics read it by name.
    public const string MeterName = "PosBus.Outbox";
    public const string WaitInstrument = "posbus.sqlite.write_lock_wait";

    static readonly Meter Meter = new(MeterName);
    static readonly Histogram<double> Wait = Meter.CreateHistogram<double>(WaitInstrument, "s", "Time a write transaction waited for SQLite's write lock");

    /// <summary>Begins a background write transaction on <paramref name="connection"/>, recording the wait.</summary>
    public static async Task<SqliteTransaction> BeginAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var background = LaneWriterRole.AsBackground();
        await LaneBusyHandler.GiveWayAsync(connection.DataSource, cancellationToken).ConfigureAwait(false);
        var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        Record(Stopwatch.GetElapsedTime(started));
        return transaction;
    }

    public static void Record(TimeSpan waited) => Wait.Record(waited.TotalSeconds);
}
