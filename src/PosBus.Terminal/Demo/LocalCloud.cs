using System.Diagnostics;
using PosBus.Terminal.Configuration;

namespace PosBus.Terminal.Demo;

/// <summary>
/// The local Supabase-compatible cloud of <c>infra/local-cloud</c>: started with <c>up.sh</c> unless it
/// already answers, and stopped at the end only if this process started it.
/// </summary>
public sealed class LocalCloud(string repositoryRoot)
{
    string ScriptDirectory => Path.Combine(repositoryRoot, "infra", "local-cloud");

    public bool StartedHere { get; private set; }
    public string Url { get; private set; } = "";
    public string ServiceKey { get; private set; } = "";
    public string DatabaseUrl { get; private set; } = "";

    public async Task UpAsync(CancellationToken cancellationToken)
    {
        if (!await AnswersAsync(cancellationToken))
        {
            await RunScriptAsync("up.sh", cancellationToken);
            StartedHere = true;
        }

        ReadEnvironment();
    }

    public async Task DownAsync()
    {
        if (StartedHere)
        {
            await RunScriptAsync("down.sh", CancellationToken.None);
        }
    }

    async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(EnvFile))
        {
            return false;
        }

        ReadEnvironment();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            // Any HTTP answer (a 401 for the missing key) proves the function and its router are up.
            using var body = new StringContent("{}");
            using var response = await http.PostAsync($"{Url}/functions/v1/sync-pos-message", body, cancellationToken);
            return (int)response.StatusCode < 500;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    string EnvFile => Path.Combine(ScriptDirectory, ".run", "env");

    void ReadEnvironment()
    {
        var values = DotEnvFile.Read(EnvFile).ToDictionary(p => p.Key, p => p.Value ?? "", StringComparer.Ordinal);
        Url = values.GetValueOrDefault("SUPABASE_URL", "");
        ServiceKey = values.GetValueOrDefault("SUPABASE_SERVICE_KEY", "");
        DatabaseUrl = values.GetValueOrDefault("SUPABASE_DB_URL", "");
    }

    /// <summary>A new key of <paramref name="storeId"/> from <c>store-key.sh</c>, as an operator would issue it.</summary>
    public async Task<string> IssueStoreKeyAsync(string storeId, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [Path.Combine(ScriptDirectory, "store-key.sh"), storeId, "demo"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("Cannot start store-key.sh.");
        var key = (await process.StandardOutput.ReadToEndAsync(cancellationToken)).Trim();
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 && key.Length > 0
            ? key
            : throw new InvalidOperationException($"infra/local-cloud/store-key.sh {storeId} failed with exit code {process.ExitCode}.");
    }

    async Task RunScriptAsync(string script, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [Path.Combine(ScriptDirectory, script)])
        {
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"Cannot start {script}.");
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra/local-cloud/{script} failed with exit code {process.ExitCode}.");
        }
    }
}
