using System.Diagnostics.Metrics;
using PosBus.CloudSync.Tests.Support;
using PosBus.Ledger;
using PosBus.Ledger.Cloud;
using PosBus.Ledger.Sqlite;

namespace PosBus.CloudSync.Tests;

/// <summary>
/// The verdicts of a batch the adaptive window made large go to the ledger in short transactions (a sale waits for
/// one at most), and every row still gets its own verdict across the transaction boundaries.
/// </summary>
public sealed class When_a_large_batch_s_verdicts_are_recorded : IDisposable
{
    // Marks this test's async flow, so that write transactions other tests begin meanwhile are not counted.
    static readonly AsyncLocal<bool> Counting = new();
    readonly TestLedger _ledger = new();

    [Fact]
    public async Task They_are_written_in_transactions_of_at_most_250_rows_and_each_row_gets_its_own()
    {
        var rows = TestMessages.Mixed("L1", TestLane.Start, 600);
        await _ledger.InsertOwnAsync(rows);
        var cloud = new CloudLedger(_ledger.Database);
        var batch = await cloud.ReadBatchAsync(new CloudPassCursor(), 600, CloudEligibility.At(TestLane.Start, null, TimeSpan.FromMinutes(10)), CancellationToken.None);
        var retried = batch[260].MessageId;
        var refused = batch[510].MessageId;
        var verdicts = batch.Select(c => (c, c.MessageId == retried ? new CloudVerdict.Retry(TestLane.Start.AddMinutes(1), "HTTP 503")
            : c.MessageId == refused ? new CloudVerdict.Refused("invalid") : CloudVerdict.Ack)).ToList();
        var begun = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == SqliteWriteLock.WaitInstrument)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, _, _) =>
        {
            if (Counting.Value)
            {
                Interlocked.Increment(ref begun);
            }
        });
        listener.Start();

        Counting.Value = true;
        await cloud.RecordAsync(verdicts, "L1", TestLane.Start, CancellationToken.None);
        Counting.Value = false;

        Assert.Equal(3, begun);
        Assert.Equal(598, await _ledger.CountAsync(LedgerStatus.CloudAck));
        var retry = await _ledger.OwnAsync(retried);
        Assert.Equal((LedgerStatus.PeerAck, 1, "HTTP 503"), (retry.Status, retry.Attempts, retry.LastError));
        Assert.Equal(LedgerStatus.DeadLetter, (await _ledger.OwnAsync(refused)).Status);
    }

    public void Dispose() => _ledger.Dispose();
}
