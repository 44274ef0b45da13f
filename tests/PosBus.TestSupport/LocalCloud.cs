using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace PosBus.TestSupport;

/// <summary>
/// The local Supabase-compatible cloud of <c>infra/local-cloud/</c> (Postgres 15 + the
/// sync-pos-message function under Deno), for tests. <see cref="EnsureUpAsync"/> reuses a running
/// cloud (read from <c>.run/env</c>) and otherwise runs <c>up.sh</c> once per process; the scripts
/// lock across processes themselves. The cloud stays up after the tests: <c>down.sh</c> stops it.
/// </summary>
public sealed class LocalCloud
{
    /// <summary>Every PosBus table, children first (for <see cref="TruncateAsync"/>).</summary>
    public static readonly IReadOnlyList<string> Tables =
    [
        "transaction_lines", "transaction_payments", "transactions", "inventory_movements",
        "inventory_levels", "customers", "sync_log", "pos_messages",
    ];

    static readonly SemaphoreSlim Gate = new(1, 1);
    static LocalCloud? shared;

    LocalCloud(string repoRoot)
    {
        RepoRoot = repoRoot;
        ScriptsDir = Path.Combine(repoRoot, "infra", "local-cloud");
    }

    public string RepoRoot { get; }
    public string ScriptsDir { get; }
    public string EnvFile => Path.Combine(ScriptsDir, ".run", "env");

    /// <summary>SUPABASE_URL, e.g. http://127.0.0.1:54321.</summary>
    public Uri Url { get; private set; } = null!;
    public string ServiceKey { get; private set; } = "";
    public string AnonKey { get; private set; } = "";
    /// <summary>SUPABASE_DB_URL as written by up.sh (postgres://user:pass@host:port/db).</summary>
    public string DbUri { get; private set; } = "";
    /// <summary>The same database as an Npgsql connection string.</summary>
    public string DbUrl { get; private set; } = "";
    public Uri FunctionUrl => new(Url, "/functions/v1/sync-pos-message");

    /// <summary>The process-wide cloud, started if it is not already answering.</summary>
    public static async Task<LocalCloud> EnsureUpAsync(CancellationToken ct = default)
    {
        await Gate.WaitAsync(ct);
        try
        {
            // One instance per process; .run/env is re-read each time because another process may
            // have run down.sh/up.sh (new keys, new password) meanwhile.
            shared ??= new LocalCloud(FindRepoRoot());
            // Another process (the chaos runner, an outage drill) may have restarted Postgres since the last test:
            // pooled connections would then fail with 57P01 on first use.
            NpgsqlConnection.ClearAllPools();
            if (!(shared.LoadEnv() && await shared.IsHealthyAsync(ct)))
            {
                await shared.RunScriptAsync("up.sh", ct);
                if (!shared.LoadEnv()) throw new InvalidOperationException($"up.sh wrote no usable {shared.EnvFile}");
            }
            return shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Walks up from the test binaries to the folder holding PosBus.sln.</summary>
    public static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PosBus.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no PosBus.sln above {AppContext.BaseDirectory}");
    }

    public Task StopFunctionAsync(CancellationToken ct = default) => RunScriptAsync("down.sh", ct, "--only", "function");
    public Task StartFunctionAsync(CancellationToken ct = default) => UpAsync(ct, "--only", "function");
    /// <summary>Stops Postgres but keeps its data; <see cref="StartDatabaseAsync"/> brings the same data back.</summary>
    public async Task StopDatabaseAsync(CancellationToken ct = default)
    {
        await RunScriptAsync("down.sh", ct, "--only", "db");
        NpgsqlConnection.ClearAllPools(); // pooled connections died with the server
    }

    public async Task StartDatabaseAsync(CancellationToken ct = default)
    {
        await UpAsync(ct, "--only", "db");
        NpgsqlConnection.ClearAllPools();
    }

    public void StopFunction() => StopFunctionAsync().GetAwaiter().GetResult();
    public void StartFunction() => StartFunctionAsync().GetAwaiter().GetResult();
    public void StopDatabase() => StopDatabaseAsync().GetAwaiter().GetResult();
    public void StartDatabase() => StartDatabaseAsync().GetAwaiter().GetResult();

    async Task UpAsync(CancellationToken ct, params string[] args)
    {
        await RunScriptAsync("up.sh", ct, args);
        LoadEnv();
    }

    /// <summary>Empties every PosBus table. Only for tests that own the whole cloud; others use unique ids.</summary>
    public async Task TruncateAsync(CancellationToken ct = default)
    {
        await using var conn = await OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"truncate {string.Join(", ", Tables)}", conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>An open connection as the owner (postgres), like the function's.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct = default)
    {
        var conn = new NpgsqlConnection(DbUrl);
        await conn.OpenAsync(ct);
        return conn;
    }

    /// <summary>The function answers HTTP (any status) and Postgres accepts TCP connections.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken ct = default)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = await http.PostAsync(FunctionUrl, null, ct);
            var db = new NpgsqlConnectionStringBuilder(DbUrl);
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(db.Host!, db.Port, ct);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Runs a script of infra/local-cloud with bash; throws with its output if it fails, else returns it.</summary>
    public async Task<(string StandardOutput, string StandardError)> RunScriptAsync(string script, CancellationToken ct = default, params string[] args)
    {
        var psi = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot,
        };
        psi.ArgumentList.Add(Path.Combine(ScriptsDir, script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start bash");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{script} {string.Join(' ', args)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
        return (await stdout, await stderr);
    }

    /// <summary>A store key issued by <c>infra/local-cloud/store-key.sh</c> and the id to revoke it by.</summary>
    public sealed record StoreKey(string Key, Guid KeyId);

    /// <summary>Issues a key for <paramref name="storeId"/> through the admin script, as an operator does.</summary>
    public async Task<StoreKey> IssueStoreKeyAsync(string storeId, CancellationToken ct = default)
    {
        var (stdout, stderr) = await RunScriptAsync("store-key.sh", ct, storeId, "test");
        var id = System.Text.RegularExpressions.Regex.Match(stderr, "issued key ([0-9a-f-]{36})");
        return id.Success ? new StoreKey(stdout.Trim(), Guid.Parse(id.Groups[1].Value))
            : throw new InvalidOperationException($"store-key.sh printed no key id: {stderr}");
    }

    /// <summary>Revokes a key through the admin script.</summary>
    public Task RevokeStoreKeyAsync(Guid keyId, CancellationToken ct = default) =>
        RunScriptAsync("store-key.sh", ct, "revoke", keyId.ToString());

    /// <summary>
    /// A second, private function process on a free port with <paramref name="env"/> overriding the
    /// shared cloud's settings (e.g. a short POSBUS_DB_TIMEOUT_MS or an unreachable SUPABASE_DB_URL),
    /// so a test can break its own function without disturbing other tests using the shared one.
    /// </summary>
    public async Task<FunctionInstance> StartFunctionInstanceAsync(
        IReadOnlyDictionary<string, string> env, CancellationToken ct = default)
    {
        var port = FreePort.Next();
        var psi = new ProcessStartInfo(Path.Combine(ScriptsDir, "node_modules", ".bin", "deno"))
        {
            WorkingDirectory = Path.Combine(RepoRoot, "infra", "supabase", "functions", "sync-pos-message"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "run", "--config", "deno.json", "--cached-only", "--allow-net", "--allow-env",
                     "--allow-read", "--allow-sys", Path.Combine(ScriptsDir, "serve.ts") })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["DENO_DIR"] = Path.Combine(ScriptsDir, ".run", "deno");
        psi.Environment["SUPABASE_URL"] = $"http://127.0.0.1:{port}";
        psi.Environment["SUPABASE_SERVICE_ROLE_KEY"] = ServiceKey;
        psi.Environment["SUPABASE_DB_URL"] = DbUri;
        psi.Environment["POSBUS_LISTEN_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (k, v) in env) psi.Environment[k] = v;

        var instance = new FunctionInstance(Process.Start(psi) ?? throw new InvalidOperationException("cannot start deno"),
            new Uri($"http://127.0.0.1:{port}/functions/v1/sync-pos-message"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (instance.Process.HasExited) break;
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                using var _ = await http.PostAsync(instance.FunctionUrl, null, ct);
                return instance;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(100, ct);
        }
        var output = instance.Output;
        await instance.DisposeAsync();
        throw new InvalidOperationException($"private function did not answer on port {port}:\n{output}");
    }

    /// <summary>A function process started by <see cref="StartFunctionInstanceAsync"/>; disposing kills it.</summary>
    public sealed class FunctionInstance : IAsyncDisposable
    {
        readonly System.Text.StringBuilder output = new();

        internal FunctionInstance(Process process, Uri functionUrl)
        {
            Process = process;
            FunctionUrl = functionUrl;
            // Drain both pipes: a full pipe would block the server's logging and so the server.
            process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }
        public Uri FunctionUrl { get; }
        public string Output { get { lock (output) return output.ToString(); } }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
            Process.Dispose();
        }
    }

    /// <summary>Reads .run/env; false if it is missing or incomplete.</summary>
    bool LoadEnv()
    {
        if (!File.Exists(EnvFile)) return false;
        var env = ReadEnvFile(EnvFile);
        if (!env.TryGetValue("SUPABASE_URL", out var url) || !env.TryGetValue("SUPABASE_SERVICE_KEY", out var key)
            || !env.TryGetValue("SUPABASE_DB_URL", out var db))
        {
            return false;
        }
        Url = new Uri(url);
        ServiceKey = key;
        AnonKey = env.GetValueOrDefault("SUPABASE_ANON_KEY", "");
        DbUri = db;
        DbUrl = ToNpgsql(db);
        return true;
    }

    public static Dictionary<string, string> ReadEnvFile(string path) =>
        File.ReadAllLines(path)
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .Select(l => (Key: l[..l.IndexOf('=', StringComparison.Ordinal)], Value: l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .GroupBy(p => p.Key)
            .ToDictionary(g => g.Key, g => g.Last().Value);

    /// <summary>postgres://user:pass@host:port/db → an Npgsql connection string.</summary>
    public static string ToNpgsql(string postgresUri)
    {
        var uri = new Uri(postgresUri);
        var userInfo = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Username = Uri.UnescapeDataString(userInfo[0]),
            Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? db : "postgres",
            Timeout = 5,
        }.ConnectionString;
    }
}
