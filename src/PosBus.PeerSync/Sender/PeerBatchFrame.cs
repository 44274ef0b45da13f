using System.Text.Json;
using PosBus.Ledger;
using PosBus.PeerSync.Protocol;

namespace PosBus.PeerSync.Sender;

/// <summary>
/// A batch frame within the store's frame limit (<c>PeerSync:MaxFrameBytes</c>): as many of the rows read as fit, in
/// order. Batches used to be sized in rows only, so a hundred large sales made a frame the peer refused with 1009; the
/// sender reconnected and sent the same frame again, forever, and nothing of that lane reached its peers.
/// </summary>
internal static class PeerBatchFrame
{
    /// <summary>The serialized frame and how many of <paramref name="rows"/> it carries (at least one, even if that one is too large).</summary>
    public static (byte[] Bytes, int Rows) Fit(long batchId, IReadOnlyList<LedgerRow> rows, int maxFrameBytes)
    {
        var count = rows.Count;
        while (true)
        {
            var frame = new PeerFrame { Type = PeerFrameTypes.Batch, BatchId = batchId, Rows = rows.Take(count).ToList() };
            var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, PeerJsonContext.Default.PeerFrame);
            if (bytes.Length <= maxFrameBytes || count == 1)
            {
                return (bytes, count);
            }

            // Shrink in proportion to the overshoot, a little more for the envelope, and by at least one row.
            count = (int)Math.Clamp((long)count * maxFrameBytes * 9 / 10 / bytes.Length, 1, count - 1);
        }
    }
}
