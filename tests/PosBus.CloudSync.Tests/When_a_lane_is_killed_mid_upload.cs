using System.Diagnostics;
using PosBus.CloudSync.Tests.Support;
using PosBus.Ledger;
using PosBus.TestSupport;

namespace PosBus.CloudSync.Tests;

/// <summary>
/// kill -9 of a lane process in the middle of an upload, then a restart on the same ledger file. The lane host
/// (src/PosBus.Terminal) is not used: the child is this test assembly running <see cref="LaneChild"/>, i.e.
/// <c>CloudSyncNow</c> in a loop.
/// </summary>
public sealed class When_a_lane_is_killed_mid_upload : IAsyncLifetime
{
    const int Messages = 20_000;
    readonly TestLedger _ledger = new();
    LocalCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await LocalCloud.EnsureUpAsync();

    [Fact]
    public async Task The_restarted_lane_finishes_and_the_cloud_holds_every_message_once()
    {
        var rows = TestMessages.Mixed("L1", TestLane.Start, Messages);
        await _ledger.InsertOwnAsync(rows);
        var ids = rows.Select(r => r.MessageId).ToList();

        using (var child = StartChild())
        {
            var midway = await Eventually.TrueAsync(async () => await _cloud.CountAsync("pos_messages", ids) >= Messages / 10, TimeSpan.FromSeconds(60));
            Assert.True(midway, "the child lane started uploading");
            child.Kill(); // SIGKILL on Linux: no finally blocks, no disposal, maybe a request in flight
            await child.WaitForExitAsync();
            Assert.NotEqual(0, child.ExitCode);
        }

        var before = await _cloud.CountAsync("pos_messages", ids);
        Assert.InRange(before, Messages / 10, Messages - 1); // killed in the middle, not after it finished

        await using var restarted = TestLane.Create(_ledger, TestLane.Settings(_cloud.Url.ToString(), _cloud.ServiceKey));
        var result = await restarted.SyncNow.RunAsync();

        Assert.Equal((CloudSyncOutcome.Ok, 0L, 0), (result.Outcome, result.Remaining, result.Invalid));
        Assert.Equal(Messages, await _cloud.CountAsync("pos_messages", ids));
        Assert.Equal(Messages, await _cloud.CountAsync("sync_log", ids));
        Assert.Equal(rows.Count(r => r.Topic == "transaction"), await _cloud.CountAsync("transactions", ids));
        Assert.Equal(Messages, await _ledger.CountAsync(LedgerStatus.CloudAck));
        Assert.Equal("ok", (await _ledger.QueryAsync("PRAGMA integrity_check", r => r.GetString(0))).Single());
    }

    Process StartChild()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(LaneChild).Assembly.Location, "lane-child", _ledger.FilePath, _cloud.Url.ToString() })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["SUPABASE_SERVICE_KEY"] = _cloud.ServiceKey;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start the child lane");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public Task DisposeAsync()
    {
        _ledger.Dispose();
        return Task.CompletedTask;
    }
}
