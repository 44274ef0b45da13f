using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// Local dead letters (table <c>consumer_dead_letter</c>): what a lane-local consumer failed on after its retries, one row
/// per (consumer, message), each written in its own transaction before delivery may count the message as done. A consumer
/// is named by its full type name or by its class name alone (<see cref="NameMatchSql"/>).
/// </summary>
public sealed class ConsumerDeadLetterStore(LaneDatabase database)
{
    /// <summary>Every consumer, for <c>--consumer '*'</c>.</summary>
    public const string AnyConsumer = "*";

    // A full name, or the class name after its namespace (or its enclosing class for a nested consumer).
    const string NameMatchSql = "($consumer = '*' OR consumer = $consumer OR consumer GLOB '*.' || $consumer OR consumer GLOB '*+' || $consumer)";

    const string RecordSql = """
        INSERT INTO consumer_dead_letter (consumer, message_id, message_type, exception_type, exception_message, stack_summary, attempts, failed_at)
        VALUES ($consumer, $message_id, $message_type, $exception_type, $exception_message, $stack_summary, $attempts, $failed_at)
        ON CONFLICT (consumer, message_id) DO UPDATE SET
            message_type = excluded.message_type, exception_type = excluded.exception_type, exception_message = excluded.exception_message,
            stack_summary = excluded.stack_summary, attempts = consumer_dead_letter.attempts + excluded.attempts,
            failed_at = excluded.failed_at, replay_requested_at = NULL
        """;

    const string ListSql = $"""
        SELECT consumer, message_id, message_type, exception_type, exception_message, stack_summary, attempts, failed_at, replay_requested_at
        FROM consumer_dead_letter WHERE {NameMatchSql} ORDER BY failed_at, consumer, message_id LIMIT $limit
        """;

    const string RequestReplaySql = $"""
        UPDATE consumer_dead_letter SET replay_requested_at = $now
        WHERE {NameMatchSql} AND ($message_id IS NULL OR message_id = $message_id)
        """;

    const string ReplaysSql = """
        SELECT consumer, message_id FROM consumer_dead_letter WHERE replay_requested_at IS NOT NULL
        ORDER BY replay_requested_at, consumer, message_id LIMIT $limit
        """;

    const string ResolveSql = "DELETE FROM consumer_dead_letter WHERE consumer = $consumer AND message_id = $message_id";

    const string CountsSql = "SELECT consumer, COUNT(*) FROM consumer_dead_letter GROUP BY consumer ORDER BY consumer";

    /// <summary>Records (or, after a failed replay, updates) the dead letter; it commits before this returns.</summary>
    public async Task RecordAsync(ConsumerDeadLetter letter, CancellationToken cancellationToken = default)
    {
        using var background = LaneWriterRole.AsBackground();
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = RecordSql;
        command.Parameters.AddWithValue("$consumer", letter.Consumer);
        command.Parameters.AddWithValue("$message_id", letter.MessageId.ToString("D"));
        command.Parameters.AddWithValue("$message_type", letter.MessageType);
        command.Parameters.AddWithValue("$exception_type", letter.ExceptionType);
        command.Parameters.AddWithValue("$exception_message", letter.ExceptionMessage);
        command.Parameters.AddWithValue("$stack_summary", (object?)letter.StackSummary ?? DBNull.Value);
        command.Parameters.AddWithValue("$attempts", letter.Attempts);
        command.Parameters.AddWithValue("$failed_at", LedgerTime.ToText(letter.FailedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The dead letters of <paramref name="consumer"/> (<see cref="AnyConsumer"/> for all), oldest failure first.</summary>
    public async Task<IReadOnlyList<ConsumerDeadLetter>> ListAsync(string consumer, int limit = 1000, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = ListSql;
        command.Parameters.AddWithValue("$consumer", consumer);
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<ConsumerDeadLetter>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ConsumerDeadLetter
            {
                Consumer = reader.GetString(0),
                MessageId = Guid.Parse(reader.GetString(1)),
                MessageType = reader.GetString(2),
                ExceptionType = reader.GetString(3),
                ExceptionMessage = reader.GetString(4),
                StackSummary = reader.IsDBNull(5) ? null : reader.GetString(5),
                Attempts = reader.GetInt32(6),
                FailedAt = LedgerTime.Parse(reader.GetString(7)),
                ReplayRequestedAt = reader.IsDBNull(8) ? null : LedgerTime.Parse(reader.GetString(8)),
            });
        }

        return list;
    }

    /// <summary>Asks the delivering lane to replay dead letters of <paramref name="consumer"/> (one, or all when <paramref name="messageId"/> is null); returns how many.</summary>
    public async Task<int> RequestReplayAsync(string consumer, Guid? messageId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = RequestReplaySql;
        command.Parameters.AddWithValue("$consumer", consumer);
        command.Parameters.AddWithValue("$message_id", (object?)messageId?.ToString("D") ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", LedgerTime.ToText(now));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The dead letters waiting for a replay, oldest request first: (consumer, message id).</summary>
    public static async Task<List<(string Consumer, Guid MessageId)>> ReplaysRequestedAsync(SqliteConnection connection, int limit, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = ReplaysSql;
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<(string, Guid)>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add((reader.GetString(0), Guid.Parse(reader.GetString(1))));
        }

        return list;
    }

    /// <summary>The consumer has now handled the message (its inbox row is committed): the dead letter goes.</summary>
    public async Task ResolveAsync(string consumer, Guid messageId, CancellationToken cancellationToken = default)
    {
        using var background = LaneWriterRole.AsBackground();
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = ResolveSql;
        command.Parameters.AddWithValue("$consumer", consumer);
        command.Parameters.AddWithValue("$message_id", messageId.ToString("D"));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many dead letters each consumer has (consumers without any are absent).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByConsumerAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = CountsSql;
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
