namespace PosBus.CloudSync.Http;

/// <summary>
/// The function answered 500 naming a Postgres SQLSTATE of a data class (22xxx data exception, 23xxx integrity
/// constraint violation): the database refused the batch for its content, so sending it again fails again. The
/// caller splits the batch to find the one message that keeps failing. Its message never holds a key.
/// </summary>
public sealed class CloudRepeatableFailureException(string sqlState, string message) : Exception(message)
{
    /// <summary>The Postgres SQLSTATE the function reported, e.g. <c>23514</c> (check constraint violated).</summary>
    public string SqlState { get; } = sqlState;
}
