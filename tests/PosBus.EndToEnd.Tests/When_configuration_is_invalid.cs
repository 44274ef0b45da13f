namespace PosBus.EndToEnd.Tests;

public sealed class When_configuration_is_invalid
{
    [Fact]
    public async Task A_bad_terminal_id_stops_the_lane_naming_the_key()
    {
        using var lane = new LaneDirectory();
        var environment = lane.Environment();
        environment["TERMINAL_ID"] = "lane one!";

        var result = await LaneRun.RunAsync(environment, "status", "--json");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Lane:TerminalId", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("TERMINAL_ID", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(lane.DatabasePath), "nothing may be written when the configuration is refused");
    }

    [Theory]
    [InlineData("POSBUS__Database__Synchronous", "SOMETIMES", "Database:Synchronous")]
    [InlineData("POSBUS__Priority__SyncNice", "-5", "Priority:SyncNice")]
    // The outbox's options belong to the delivering process: run (not status) validates them at start.
    [InlineData("POSBUS__Outbox__ConsumerRetryLimit", "-1", "Outbox:ConsumerRetryLimit", "run")]
    [InlineData("POSBUS__Outbox__ConsumerRetryMaxInterval", "00:00:00.001", "Outbox:ConsumerRetryMaxInterval", "run")]
    public async Task A_bad_setting_is_refused_with_its_key(string variable, string value, string key, string verb = "status")
    {
        using var lane = new LaneDirectory();
        var environment = lane.Environment();
        environment[variable] = value;

        var result = await LaneRun.RunAsync(environment, verb);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(key, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_flag_is_a_usage_error()
    {
        using var lane = new LaneDirectory();

        var result = await LaneRun.RunAsync(lane.Environment(), "simulate", "--events", "5", "--rat", "3");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--rat", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dotenv_file_overrides_settings_local_json_and_the_environment_overrides_both()
    {
        using var lane = new LaneDirectory();
        File.WriteAllText(System.IO.Path.Combine(lane.Path, "settings.local.json"), """{ "terminalId": "FROMLOCAL", "Lane": { "StoreId": "store-local" } }""");
        File.WriteAllText(System.IO.Path.Combine(lane.Path, ".env"), "STORE_ID=store-env   # a trailing comment as in the seed\n");
        var environment = lane.Environment();
        environment.Remove("TERMINAL_ID");

        var fromFiles = await LaneRun.RunAsync(environment, "status", "--json");
        environment["STORE_ID"] = "store-process";
        var fromEnvironment = await LaneRun.RunAsync(environment, "status", "--json");

        Assert.Equal(0, fromFiles.ExitCode);
        Assert.Contains("\"terminalId\": \"FROMLOCAL\"", fromFiles.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"storeId\": \"store-env\"", fromFiles.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"storeId\": \"store-process\"", fromEnvironment.StandardOutput, StringComparison.Ordinal);
    }
}
