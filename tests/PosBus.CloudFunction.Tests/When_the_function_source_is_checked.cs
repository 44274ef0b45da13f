using System.Diagnostics;
using PosBus.TestSupport;

namespace PosBus.CloudFunction.Tests;

/// <summary>
/// The Edge Function's sources pass Deno's own type check, linter and formatter, as `supabase functions deploy` and a
/// reviewer would run them: a type error in a branch no test reaches, or an unused variable, fails here instead of in
/// production. Uses the pinned deno that up.sh installs, offline (the dependencies are cached by up.sh).
/// </summary>
[Collection(CloudCollection.Name)]
public sealed class When_the_function_source_is_checked(CloudFixture f)
{
    [Fact]
    public async Task It_type_checks_against_its_lock_file() =>
        await DenoSucceedsAsync("check", "--frozen", "--cached-only", "--config", "deno.json", "*.ts", ServeScript);

    [Fact]
    public async Task It_has_no_lint_findings() => await DenoSucceedsAsync("lint", "--config", "deno.json", ".", ServeScript);

    [Fact]
    public async Task It_is_formatted() => await DenoSucceedsAsync("fmt", "--check", "--config", "deno.json", ".", ServeScript);

    string FunctionDirectory => Path.Combine(f.Cloud.RepoRoot, "infra", "supabase", "functions", "sync-pos-message");

    /// <summary>The local server that mounts the function under /functions/v1 (infra/local-cloud/serve.ts).</summary>
    string ServeScript => Path.Combine(f.Cloud.ScriptsDir, "serve.ts");

    async Task DenoSucceedsAsync(params string[] arguments)
    {
        var deno = Path.Combine(f.Cloud.ScriptsDir, "node_modules", ".bin", "deno");
        Assert.True(File.Exists(deno), $"{deno} missing: infra/local-cloud/up.sh installs it");
        var psi = new ProcessStartInfo(deno)
        {
            WorkingDirectory = FunctionDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // "*.ts" is expanded here, as a shell would: deno takes file names, not patterns, for check.
        foreach (var argument in arguments)
        {
            if (argument == "*.ts")
            {
                foreach (var file in Directory.GetFiles(FunctionDirectory, "*.ts").Order(StringComparer.Ordinal)) psi.ArgumentList.Add(file);
            }
            else
            {
                psi.ArgumentList.Add(argument);
            }
        }

        psi.Environment["DENO_DIR"] = Path.Combine(f.Cloud.ScriptsDir, ".run", "deno");
        psi.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"deno {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }
}
