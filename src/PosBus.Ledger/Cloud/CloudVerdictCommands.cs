using Microsoft.Data.Sqlite;

namespace PosBus.Ledger.Cloud;

/// <summary>
/// The UPDATEs that apply <see cref="CloudVerdict"/>s inside one transaction: acks in bulk (one statement per table,
/// the hot path), refusals and retries row by row (each has its own reason or next attempt). A row that meanwhile left
/// the upload states (e.g. acked by a concurrent pass in another process) is left alone.
/// </summary>
sealed class CloudVerdictCommands(SqliteConnection connection, SqliteTransaction transaction, string uploader, DateTimeOffset at)
{
    const string AckOwnSql = $"""
        UPDATE outbox SET status = {LedgerStatusSql.CloudAck}, cloud_acked_at = $at, cloud_acked_by = $by, next_attempt_at = NULL, last_error = NULL
        WHERE sequence IN (SELECT value FROM json_each($keys)) AND status IN ({LedgerStatusSql.NotInCloud})
        """;

    const string AckReplicaSql = $"""
        UPDATE replica SET cloud_status = {LedgerStatusSql.CloudAck}, cloud_acked_at = $at, next_attempt_at = NULL, last_error = NULL
        WHERE local_sequence IN (SELECT value FROM json_each($keys)) AND cloud_status = {LedgerStatusSql.Held}
        """;

    const string FailOwnSql = $"""
        UPDATE outbox SET status = COALESCE($status, status), cloud_attempts = cloud_attempts + 1, next_attempt_at = $next, last_error = $error
        WHERE sequence = $key AND status IN ({LedgerStatusSql.NotInCloud})
        """;

    const string FailReplicaSql = $"""
        UPDATE replica SET cloud_status = COALESCE($status, cloud_status), cloud_attempts = cloud_attempts + 1, next_attempt_at = $next, last_error = $error
        WHERE local_sequence = $key AND cloud_status = {LedgerStatusSql.Held}
        """;

    readonly string _at = LedgerTime.ToText(at);

    public async Task AckAsync(IEnumerable<CloudCandidate> rows, bool replica, CancellationToken cancellationToken)
    {
        var keys = rows.Select(r => r.Sequence).ToList();
        if (keys.Count == 0)
        {
            return;
        }

        using var command = Create(replica ? AckReplicaSql : AckOwnSql);
        command.Parameters.AddWithValue("$keys", "[" + string.Join(',', keys) + "]");
        command.Parameters.AddWithValue("$at", _at);
        command.Parameters.AddWithValue("$by", uploader);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A refusal (dead letter with its reason) or a retry (backoff): one more attempt either way.</summary>
    public async Task FailAsync(CloudCandidate row, CloudVerdict verdict, CancellationToken cancellationToken)
    {
        using var command = Create(row.IsReplica ? FailReplicaSql : FailOwnSql);
        command.Parameters.AddWithValue("$key", row.Sequence);
        var (status, next, error) = verdict switch
        {
            CloudVerdict.Refused refused => ((object)LedgerStatus.DeadLetter, (object)DBNull.Value, refused.Reason),
            CloudVerdict.Retry retry => (DBNull.Value, LedgerTime.ToText(retry.NextAttemptAt), retry.Error),
            _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "acks go through AckAsync"),
        };
        command.Parameters.AddWithValue("$status", status);
        command.Parameters.AddWithValue("$next", next);
        command.Parameters.AddWithValue("$error", error);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    SqliteCommand Create(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
