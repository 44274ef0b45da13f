using System.Diagnostics;
using System.Text.RegularExpressions;
using PosBus.TestSupport;
using Xunit.Abstractions;

namespace PosBus.Reliability.Tests;

/// <summary>
/// CI's short chaos run: the same command as a soak (tests/PosBus.Chaos), two minutes of kill -9, cut links and cloud
/// outages, then every committed sale checked in Postgres.
/// </summary>
public sealed partial class When_the_store_runs_under_chaos(ITestOutputHelper output)
{
    [Fact]
    public async Task No_committed_sale_is_lost_duplicated_or_stuck()
    {
        await LocalCloud.EnsureUpAsync();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { BuildOutput.Dll(Path.Combine("tests", "PosBus.Chaos"), "PosBus.Chaos"), "--minutes", "2", "--settle-minutes", "3" },
        };
        using var runner = Process.Start(start)!;
        var printed = runner.StandardOutput.ReadToEndAsync();
        var errors = runner.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(9));
        await runner.WaitForExitAsync(limit.Token);
        var text = await printed + await errors;

        var last = text.TrimEnd().Split('\n')[^1];
        output.WriteLine(last);
        var line = FinalLine().Match(last);
        Assert.True(line.Success, $"no final line; the runner printed:\n{text}");
        Assert.True(runner.ExitCode == 0, $"exit code {runner.ExitCode}:\n{text}");
        Assert.Equal("0", line.Groups["lost"].Value);
        Assert.Equal("0", line.Groups["duplicated"].Value);
        Assert.Equal("0", line.Groups["stuck"].Value);
        Assert.True(int.Parse(line.Groups["kills"].Value) >= 5, last);
        Assert.True(int.Parse(line.Groups["outages"].Value) >= 1, last);
        Assert.True(int.Parse(line.Groups["sales"].Value) >= 100, last);
    }

    [GeneratedRegex(@"^kills=(?<kills>\d+) outages=(?<outages>\d+) sales=(?<sales>\d+) lost=(?<lost>\d+) duplicated=(?<duplicated>\d+) stuck=(?<stuck>\d+)$")]
    private static partial Regex FinalLine();
}
