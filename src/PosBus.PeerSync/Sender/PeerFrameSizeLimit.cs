using PosBus.Ledger;

namespace PosBus.PeerSync.Sender;

/// <summary>
/// A message must fit a peer batch frame on its own (<c>PeerSync:MaxFrameBytes</c>), or no other lane could ever hold
/// it. Checked by serializing the one-row frame only when a cheap bound (every character escaped to six bytes) says it
/// might not fit, so a normal sale pays a sum of lengths.
/// </summary>
internal sealed class PeerFrameSizeLimit(int maxFrameBytes) : IMessageSizeLimit
{
    const int EnvelopeBytes = 1024;

    public int MaxFrameBytes => maxFrameBytes;

    public string? Refuse(LedgerRow row)
    {
        if (EnvelopeBytes + 6L * Characters(row) <= maxFrameBytes)
        {
            return null;
        }

        var bytes = FrameBytes(row);
        return bytes <= maxFrameBytes
            ? null
            : $"message {row.MessageId} ({row.Topic}) makes a {bytes}-byte peer batch frame on its own, over PeerSync:MaxFrameBytes ({maxFrameBytes}): no other lane could hold a copy of it";
    }

    /// <summary>The size of a batch frame carrying <paramref name="row"/> alone.</summary>
    public static int FrameBytes(LedgerRow row) => PeerBatchFrame.Fit(long.MaxValue, [row], int.MaxValue).Bytes.Length;

    static long Characters(LedgerRow row) =>
        (long)row.Body.Length + (row.Headers?.Length ?? 0) + row.MessageType.Length + row.Topic.Length + row.OriginTerminal.Length +
        row.ContentType.Length + (row.SourceAddress?.Length ?? 0) + (row.DestinationAddress?.Length ?? 0);
}
