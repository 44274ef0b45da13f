namespace PosBus.PeerSync.Protocol;

/// <summary>The other side broke the protocol: the link is closed with <see cref="CloseCode"/> and <see cref="Reason"/>.</summary>
internal sealed class PeerProtocolException(int closeCode, string reason) : Exception(reason)
{
    public int CloseCode { get; } = closeCode;

    public string Reason { get; } = reason;
}
