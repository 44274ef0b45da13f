namespace PosBus.EndToEnd.Tests;

public sealed class When_the_database_is_unusable
{
    [Fact]
    public async Task A_file_that_is_not_sqlite_gives_a_clear_error_and_is_left_alone()
    {
        using var lane = new LaneDirectory();
        var garbage = new byte[8192];
        Random.Shared.NextBytes(garbage);
        File.WriteAllBytes(lane.DatabasePath, garbage);

        var result = await LaneRun.RunAsync(lane.Environment(), "status", "--json");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("not a SQLite database", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(garbage, File.ReadAllBytes(lane.DatabasePath));
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_gives_a_clear_error()
    {
        using var lane = new LaneDirectory();
        var blocker = System.IO.Path.Combine(lane.Path, "blocker");
        File.WriteAllText(blocker, "a file where a directory should be");
        var environment = lane.Environment();
        environment["POSBUS_DATA_DIR"] = System.IO.Path.Combine(blocker, "lane");

        var result = await LaneRun.RunAsync(environment, "status");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("Database error", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }
}
