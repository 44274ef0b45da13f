using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PosBus.Outbox.Ledger;
using PosBus.Outbox.Sqlite;

namespace PosBus.PeerSync.Status;

/// <summary>
/// The <c>peers</c> and <c>replicas</c> of <c>status --json</c>. <see cref="ReadFromDatabaseAsync"/> needs only the
/// lane database (for a CLI beside a running lane); <see cref="ReadAsync"/> adds the running lane's live links.
/// </summary>
public sealed class PeerSyncStatus(LaneDatabase database, PeerSyncState state, IOptions<PeerSyncOptions> options, TimeProvider time)
{
    /// <summary>Configured peers with their live link (connected, skew) merged with the acknowledgement marks in the database.</summary>
    public async Task<PeerSyncReport> ReadAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var maxSkew = options.Value.MaxClockSkewMs;
        await using var connection = await database.OpenAsync(cancellationToken);
        var marks = await ReadMarksAsync(connection, cancellationToken);
        var peers = new List<PeerReport>();
        foreach (var url in options.Value.PeerUris())
        {
            var link = state.Link(url);
            var mark = link.PeerId is { } id ? marks.GetValueOrDefault(id) : null;
            var report = await ReportAsync(connection, link.PeerId, mark, now, cancellationToken);
            peers.Add(report with
            {
                Url = url.ToString(),
                Connected = link.Connected,
                LastAckAt = link.LastAckAt ?? report.LastAckAt,
                ClockSkewMs = link.ClockSkewMs,
                ClockSkewExceeded = link.ClockSkewMs is { } skew && Math.Abs(skew) > maxSkew,
            });
        }

        // Peers that acked once but are no longer configured still show (their marks hold the cloud back from nothing, but ops want to see them).
        foreach (var mark in marks.Values.Where(m => peers.All(p => p.Id != m.PeerId)))
        {
            peers.Add(await ReportAsync(connection, mark.PeerId, mark, now, cancellationToken) with { Connected = false });
        }

        return new PeerSyncReport(peers, await ReadReplicasAsync(connection, cancellationToken));
    }

    /// <summary>What the database alone tells: one entry per peer that ever acknowledged, and the replicas held. No live link facts.</summary>
    public static async Task<PeerSyncReport> ReadFromDatabaseAsync(LaneDatabase database, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var peers = new List<PeerReport>();
        foreach (var mark in (await ReadMarksAsync(connection, cancellationToken)).Values)
        {
            peers.Add(await ReportAsync(connection, mark.PeerId, mark, now, cancellationToken));
        }

        return new PeerSyncReport(peers, await ReadReplicasAsync(connection, cancellationToken));
    }

    static async Task<PeerReport> ReportAsync(SqliteConnection connection, string? peerId, PeerAckMark? mark, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var through = mark?.AckedThrough ?? 0;
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE sequence > $through";
        command.Parameters.AddWithValue("$through", through);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var oldest = reader.IsDBNull(1) ? (DateTimeOffset?)null : LedgerTime.Parse(reader.GetString(1));
        return new PeerReport
        {
            Id = peerId,
            LastAckAt = mark?.AckedAt,
            AckedThrough = through,
            LagMessages = reader.GetInt64(0),
            LagSeconds = oldest is { } o ? Math.Max(0, (now - o).TotalSeconds) : 0,
        };
    }

    static async Task<Dictionary<string, PeerAckMark>> ReadMarksAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT peer_id, acked_through, acked_at FROM peer_ack_mark ORDER BY peer_id";
        var marks = new Dictionary<string, PeerAckMark>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            marks[reader.GetString(0)] = new PeerAckMark(reader.GetString(0), reader.GetInt64(1), LedgerTime.Parse(reader.GetString(2)));
        }

        return marks;
    }

    static async Task<IReadOnlyList<ReplicaReport>> ReadReplicasAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT origin_terminal, COUNT(*), MAX(origin_sequence), MAX(received_at)
            FROM replica GROUP BY origin_terminal ORDER BY origin_terminal
            """;
        var replicas = new List<ReplicaReport>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            replicas.Add(new ReplicaReport(
                reader.GetString(0),
                reader.GetInt64(1),
                Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
                LedgerTime.ParseOrNull(reader.IsDBNull(3) ? null : reader.GetString(3))));
        }

        return replicas;
    }
}
