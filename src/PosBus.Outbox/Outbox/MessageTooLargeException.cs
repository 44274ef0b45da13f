namespace PosBus.Outbox.Outbox;

/// <summary>
/// Thrown by <c>SaveChangesAsync</c> when a message published in that unit of work could never travel: it is larger than
/// a peer frame (<c>PeerSync:MaxFrameBytes</c>) or a cloud request (<c>CloudSync:MaxRequestBytes</c>) can carry. Nothing
/// of the save is committed; the message names the limit. Make the message smaller (split it) rather than raise a limit.
/// </summary>
public sealed class MessageTooLargeException(string message) : InvalidOperationException(message);
