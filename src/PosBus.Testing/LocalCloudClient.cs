using Npgsql;

namespace PosBus.Testing;

/// <summary>
/// The real local cloud for integration tests: Postgres 15 and the PosBus Edge Function under Deno, started by
/// <c>infra/local-cloud/up.sh</c> of a PosBus checkout (or any Supabase project with PosBus's migrations). Lanes upload to
/// <see cref="Url"/> with <see cref="ServiceKey"/>; a test reads what arrived with <see cref="CountAsync"/> and
/// <see cref="FindAsync"/>. Found from environment variables <c>SUPABASE_URL</c>, <c>SUPABASE_SERVICE_KEY</c> and
/// <c>SUPABASE_DB_URL</c>, else from the env file <c>up.sh</c> writes: <c>POSBUS_LOCAL_CLOUD_ENV</c> (a file path), or
/// <c>.run/env</c> under <c>POSBUS_LOCAL_CLOUD_DIR</c>, or under <c>infra/local-cloud</c> of a folder above the current one.
/// </summary>
public sealed class LocalCloudClient
{
    LocalCloudClient(Uri url, string serviceKey, string databaseUrl)
    {
        Url = url;
        ServiceKey = serviceKey;
        ConnectionString = ToNpgsql(databaseUrl);
    }

    /// <summary>SUPABASE_URL, the base address lanes upload to (<c>CloudSync:SupabaseUrl</c>).</summary>
    public Uri Url { get; }

    /// <summary>The service key lanes send (<c>CloudSync:ServiceKey</c>); a secret, never logged.</summary>
    public string ServiceKey { get; }

    /// <summary>The cloud database as an Npgsql connection string (owner role).</summary>
    public string ConnectionString { get; }

    /// <summary>The local cloud, or null when none is configured or written (a test can then skip with that reason).</summary>
    public static LocalCloudClient? TryFind()
    {
        var env = Environment.GetEnvironmentVariables();
        string? Variable(string name) => env[name] as string is { Length: > 0 } value ? value : null;
        if (Variable("SUPABASE_URL") is { } url && Variable("SUPABASE_SERVICE_KEY") is { } key && Variable("SUPABASE_DB_URL") is { } db)
        {
            return new LocalCloudClient(new Uri(url), key, db);
        }

        var file = Variable("POSBUS_LOCAL_CLOUD_ENV")
            ?? (Variable("POSBUS_LOCAL_CLOUD_DIR") is { } dir ? Path.Combine(dir, ".run", "env") : FindEnvFileAbove(Directory.GetCurrentDirectory()));
        if (file is null || !File.Exists(file))
        {
            return null;
        }

        var values = ReadEnvFile(file);
        return values.TryGetValue("SUPABASE_URL", out var u) && values.TryGetValue("SUPABASE_SERVICE_KEY", out var k) && values.TryGetValue("SUPABASE_DB_URL", out var d)
            ? new LocalCloudClient(new Uri(u), k, d)
            : null;
    }

    /// <summary>The local cloud; throws naming where it looked when there is none.</summary>
    public static LocalCloudClient Find() => TryFind() ?? throw new InvalidOperationException(
        "No local cloud: set SUPABASE_URL, SUPABASE_SERVICE_KEY and SUPABASE_DB_URL, or POSBUS_LOCAL_CLOUD_DIR to the infra/local-cloud " +
        "folder of a PosBus checkout after running its up.sh (or POSBUS_LOCAL_CLOUD_ENV to its .run/env file).");

    /// <summary>How many rows <c>pos_messages</c> holds for <paramref name="messageId"/>: 1 once uploaded, never 2.</summary>
    public async Task<long> CountAsync(Guid messageId, CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = new NpgsqlCommand("select count(*) from public.pos_messages where message_id = $1", connection);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.AddWithValue(messageId);
                return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }
        }
    }

    /// <summary>The stored message (store, origin lane, topic, payload JSON), or null when it has not arrived.</summary>
    public async Task<LocalCloudMessage?> FindAsync(Guid messageId, CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = new NpgsqlCommand(
                "select store_id, terminal_id, topic, payload::text, uploaded_by from public.pos_messages where message_id = $1", connection);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.AddWithValue(messageId);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                        ? new LocalCloudMessage(messageId, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4))
                        : null;
                }
            }
        }
    }

    /// <summary>Waits until the message is in <c>pos_messages</c>.</summary>
    public async Task<LocalCloudMessage> WaitForMessageAsync(Guid messageId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        return await StateWait.UntilAsync(() => FindAsync(messageId, cancellationToken), limit, cancellationToken).ConfigureAwait(false)
            ?? throw new TimeoutException($"Message {messageId} did not reach the local cloud within {limit.TotalSeconds:0.#} s.");
    }

    /// <summary>An open connection to the cloud database, for a test's own queries.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    static string? FindEnvFileAbove(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "infra", "local-cloud", ".run", "env");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    static Dictionary<string, string> ReadEnvFile(string path) =>
        File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && line.Contains('=', StringComparison.Ordinal))
            .Select(line => (Key: line[..line.IndexOf('=', StringComparison.Ordinal)], Value: line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

    /// <summary>postgres://user:pass@host:port/db (as Supabase and up.sh write it) as an Npgsql connection string.</summary>
    static string ToNpgsql(string databaseUrl)
    {
        if (!databaseUrl.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
        {
            return databaseUrl;
        }

        var uri = new Uri(databaseUrl);
        var user = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? db : "postgres",
            Timeout = 5,
        }.ConnectionString;
    }
}

/// <summary>A row of the cloud's <c>pos_messages</c>: <see cref="Payload"/> is the message body as JSON text.</summary>
public sealed record LocalCloudMessage(Guid MessageId, string StoreId, string OriginTerminalId, string Topic, string Payload, string UploadedBy);
