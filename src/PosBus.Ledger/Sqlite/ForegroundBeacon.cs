using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.MemoryMappedFiles;

namespace PosBus.Ledger.Sqlite;

/// <summary>
/// A timestamp shared by every process that writes one lane database: a foreground (POS) writer waiting for the write
/// lock stamps it on each poll, and background writers see it lit and stand back until the POS writer has the lock.
/// It lives in a memory-mapped sidecar file (<c>&lt;database&gt;-priority</c>, 8 bytes) because SQLite's own lock
/// waits are not fair: a writer that commits and begins again in a loop wins against one that sleeps and polls.
/// A stamp goes stale on its own, so a POS process killed while waiting leaves nothing to clean up. If the sidecar
/// cannot be mapped (read-only or full disk), the beacon is local to this process.
/// </summary>
public sealed class ForegroundBeacon
{
    /// <summary>How long a stamp counts as "a POS writer is waiting"; the waiter re-stamps about every millisecond.</summary>
    static readonly long LitTicks = Stopwatch.Frequency * 5 / 1000;

    static readonly ConcurrentDictionary<string, ForegroundBeacon> ByDatabase = new(StringComparer.Ordinal);

    // The view keeps its mapping alive for the life of the process: one per database, 8 bytes.
    readonly MemoryMappedViewAccessor? _shared;
    long _local;

    ForegroundBeacon(MemoryMappedViewAccessor? shared) => _shared = shared;

    /// <summary>The beacon of the database at <paramref name="databasePath"/>, mapped once per process.</summary>
    public static ForegroundBeacon For(string databasePath) =>
        ByDatabase.GetOrAdd(Path.GetFullPath(databasePath), path => new ForegroundBeacon(TryMap(path + "-priority")));

    /// <summary>A foreground writer is waiting now.</summary>
    public void Light()
    {
        var now = Stopwatch.GetTimestamp();
        if (_shared is null)
        {
            Volatile.Write(ref _local, now);
        }
        else
        {
            _shared.Write(0, now);
        }
    }

    /// <summary>Whether a foreground writer stamped the beacon within the last few milliseconds.</summary>
    public bool IsLit
    {
        get
        {
            var stamped = _shared?.ReadInt64(0) ?? Volatile.Read(ref _local);
            var age = Stopwatch.GetTimestamp() - stamped;
            return age >= 0 && age < LitTicks;
        }
    }

    static MemoryMappedViewAccessor? TryMap(string path)
    {
        FileStream? file = null;
        try
        {
            // Opened by hand so that other processes (and Windows) may map the same file at the same time.
            // The mapping takes the stream over (leaveOpen: false) and the catch disposes it before then.
#pragma warning disable CA2000
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
#pragma warning restore CA2000
            if (file.Length < sizeof(long))
            {
                // Written, not just extended: a mapped page the filesystem has no room for kills the process with
                // SIGBUS on first touch, while a write on a full disk fails here with an IOException.
                file.Write(new byte[sizeof(long)]);
                file.Flush();
            }

            // Disposing the map after taking a view is safe: the view holds its own reference to the mapping.
            using var map = MemoryMappedFile.CreateFromFile(file, null, sizeof(long), MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            file = null;
            return map.CreateViewAccessor(0, sizeof(long), MemoryMappedFileAccess.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            return null;
        }
    }
}
