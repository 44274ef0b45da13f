namespace PosBus.PeerSync.Protocol;

/// <summary>The other side closed the link (possibly refusing us with a <see cref="PeerCloseCodes"/> code).</summary>
internal sealed class PeerClosedException(int? closeCode, string? reason)
    : Exception($"peer closed the link: {closeCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"} {reason}")
{
    public int? CloseCode { get; } = closeCode;

    public string? Reason { get; } = reason;
}
