using System.Text.Json;
using PosBus.CloudSync.Tests.Support;
using PosBus.Ledger;
using PosBus.TestSupport;

namespace PosBus.CloudSync.Tests;

/// <summary>
/// The real uploader with a store key against the real function: rows land under the key's store; a lane configured for
/// another store (STORE_ID) than its key's is refused (403, a configuration error naming POSBUS_STORE_KEY) and nothing
/// is written; the key appears in no log line, ledger text, status or result.
/// </summary>
public sealed class When_a_lane_uploads_with_a_store_key : IAsyncLifetime
{
    readonly TestLedger _ledger = new();
    LocalCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await LocalCloud.EnsureUpAsync();

    TestLane Lane(string store, string key) => TestLane.Create(_ledger,
        TestLane.Settings(_cloud.Url.ToString(), "", ("CloudSync:StoreKey", key)), terminal: "L1", store: store);

    [Fact]
    public async Task Its_rows_land_under_its_store_and_another_store_is_refused_with_nothing_written()
    {
        var (mine, other) = ($"up-{Guid.NewGuid():N}"[..16], $"up-{Guid.NewGuid():N}"[..16]);
        var key = await _cloud.IssueStoreKeyAsync(mine);
        await using var good = Lane(mine, key.Key);
        await using var wrongStore = Lane(other, key.Key);
        var now = good.Time.GetUtcNow();
        var rows = TestMessages.Mixed("L1", now, 6);
        await _ledger.InsertOwnAsync(rows);

        var refused = await wrongStore.SyncNow.RunAsync();

        Assert.Equal(CloudSyncOutcome.ConfigurationError, refused.Outcome);
        Assert.Contains("POSBUS_STORE_KEY", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, await _cloud.CountAsync("pos_messages", rows.Select(r => r.MessageId)));
        Assert.Equal((LedgerStatus.PeerAck, 0), ((await _ledger.OwnAsync(rows[0].MessageId)).Status, (await _ledger.OwnAsync(rows[0].MessageId)).Attempts));

        var uploaded = await good.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.Ok, 6), (uploaded.Outcome, uploaded.Uploaded));
        Assert.Equal(6, await _cloud.CountAsync("pos_messages", rows.Select(r => r.MessageId)));
        Assert.Equal(6L, await CountInStoreAsync(mine, rows));
        var texts = new[]
        {
            good.Logs.All, wrongStore.Logs.All, string.Join('\n', await _ledger.AllErrorsAsync()),
            JsonSerializer.Serialize(await good.Status.ReadAsync()), JsonSerializer.Serialize(new[] { refused, uploaded }),
        };
        Assert.All(texts, text => Assert.DoesNotContain(key.Key, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_revoked_key_is_a_configuration_error()
    {
        var store = $"rv-{Guid.NewGuid():N}"[..16];
        var key = await _cloud.IssueStoreKeyAsync(store);
        await _cloud.RevokeStoreKeyAsync(key.KeyId);
        await using var lane = Lane(store, key.Key);
        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", lane.Time.GetUtcNow(), 3));

        var result = await lane.SyncNow.RunAsync();

        Assert.Equal(CloudSyncOutcome.ConfigurationError, result.Outcome);
        Assert.Contains("check POSBUS_STORE_KEY", result.Error, StringComparison.Ordinal);
    }

    async Task<long> CountInStoreAsync(string store, IEnumerable<LedgerRow> rows)
    {
        await using var connection = await _cloud.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select count(*) from pos_messages where store_id = @s and message_id = any(@ids)", connection);
        command.Parameters.AddWithValue("s", store);
        command.Parameters.AddWithValue("ids", rows.Select(r => r.MessageId).ToArray());
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public Task DisposeAsync()
    {
        _ledger.Dispose();
        return Task.CompletedTask;
    }
}
