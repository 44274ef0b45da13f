using System.Diagnostics;

namespace PosBus.Terminal.Demo;

/// <summary>
/// A child process of this very executable (a lane's <c>run</c>, or a <c>simulate</c> beside it) with its
/// own environment. Standard error goes to a log file; standard output lines go to a callback.
/// </summary>
public sealed class LaneProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StreamWriter _log;

    LaneProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>The path of this executable's dll, started again with <c>dotnet</c>.</summary>
    public static string EntryAssembly => typeof(LaneProcess).Assembly.Location;

    public static LaneProcess Start(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string logFile, Action<string>? onOutputLine = null) =>
        Start(EntryAssembly, arguments, environment, logFile, onOutputLine);

    public static LaneProcess Start(string assemblyPath, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string logFile, Action<string>? onOutputLine = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    try
                    {
                        log.WriteLine(e.Data);
                    }
                    catch (IOException)
                    {
                        // A full disk must not take the parent (the demo, the chaos runner) down with an unhandled exception.
                    }
                }
            }
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onOutputLine?.Invoke(e.Data);
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return new LaneProcess(process, log);
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGKILL: what a power cut or an OOM kill looks like to the lane.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
    }

    /// <summary>SIGTERM, then SIGKILL if the process has not stopped within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        PosixSignals.Terminate(_process.Id);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(20));
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
