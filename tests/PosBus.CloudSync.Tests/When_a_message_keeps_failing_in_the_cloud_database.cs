using Npgsql;
using PosBus.CloudSync.Tests.Support;
using PosBus.Ledger;
using PosBus.TestSupport;

namespace PosBus.CloudSync.Tests;

/// <summary>
/// A poison message against the real local cloud: it passes the function's validation but Postgres refuses it (a CHECK
/// constraint the function does not know, added by the test for that one message id only, so that other suites sharing
/// the database are not affected). Every batch it is in fails as a whole with a 500 naming SQLSTATE 23514.
/// </summary>
public sealed class When_a_message_keeps_failing_in_the_cloud_database : IAsyncLifetime
{
    const int Pending = 2_000;
    readonly TestLedger _ledger = new();
    readonly string _constraint = $"posbus_test_poison_{Guid.NewGuid():N}";
    LocalCloud _cloud = null!;
    TestLane _lane = null!;

    public async Task InitializeAsync() => _cloud = await LocalCloud.EnsureUpAsync();

    /// <param name="batchSize">The default start (the window grows to 1000 on the way), or 1000 from the first batch on.</param>
    [Theory]
    [InlineData("50")]
    [InlineData("1000")]
    public async Task The_rest_reach_postgres_in_the_first_pass_and_it_is_dead_lettered_with_the_server_s_reason_by_the_third(string batchSize)
    {
        _lane = TestLane.Create(_ledger, TestLane.Settings(_cloud.Url.ToString(), _cloud.ServiceKey, ("CloudSync:BatchSize", batchSize)));
        var at = _lane.Time.GetUtcNow();
        var rows = TestMessages.Mixed("L1", at, Pending);
        await _ledger.InsertOwnAsync(rows, LedgerStatus.Pending);
        var poison = rows[Pending / 2].MessageId;
        var others = rows.Select(r => r.MessageId).Where(id => id != poison).ToList();
        // NOT VALID: no scan of the rows other tests left, and no effect on any message but this one.
        await ExecuteAsync($"alter table public.pos_messages add constraint {_constraint} check (message_id <> '{poison}') not valid");

        var first = await _lane.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.Ok, Pending - 1, 1, 1L), (first.Outcome, first.Uploaded, first.RepeatableFailures, first.Remaining));
        Assert.Equal(Pending - 1, await _cloud.CountAsync("pos_messages", others));
        Assert.Equal(Pending - 1, await _ledger.CountAsync(LedgerStatus.CloudAck));

        var passes = 1;
        while (await _ledger.CountAsync(LedgerStatus.DeadLetter) == 0 && passes < 3)
        {
            _lane.Time.Advance(TimeSpan.FromMinutes(5)); // past the poison's backoff, as the next scheduled pass would be
            await _lane.SyncNow.RunAsync();
            passes++;
        }

        var dead = Assert.Single(await _lane.DeadLetters.ListAsync());
        Assert.Equal((poison, 3), (dead.MessageId, passes));
        Assert.Contains("sqlstate 23514", dead.LastError, StringComparison.Ordinal);
        Assert.Contains(_constraint, dead.LastError, StringComparison.Ordinal);
        Assert.Equal(0, await _cloud.CountAsync("pos_messages", [poison]));
        Assert.Equal(Pending - 1, await _cloud.CountAsync("pos_messages", others));
        Assert.Equal(Pending - 1, await _ledger.CountAsync(LedgerStatus.CloudAck));
    }

    async Task ExecuteAsync(string sql)
    {
        await using var connection = await _cloud.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await ExecuteAsync($"alter table public.pos_messages drop constraint if exists {_constraint}");
        if (_lane is not null)
        {
            await _lane.DisposeAsync();
        }

        _ledger.Dispose();
    }
}
