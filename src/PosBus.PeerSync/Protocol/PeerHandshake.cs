using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace PosBus.PeerSync.Protocol;

/// <summary>Checks both sides apply to the other's challenge, hello or welcome.</summary>
internal static partial class PeerHandshake
{
    /// <summary>Throws unless <paramref name="frame"/> is of <paramref name="type"/> and carries a valid id, store, version and nonce or proof.</summary>
    public static void RequireIdentity(PeerFrame frame, string type)
    {
        if (frame.Type == PeerFrameTypes.Batch && type == PeerFrameTypes.Hello)
        {
            throw new PeerProtocolException(PeerCloseCodes.HelloRequired, "batch before hello");
        }

        if (frame.Type != type)
        {
            throw new PeerProtocolException(PeerCloseCodes.OutOfOrder, $"expected {type}, got {frame.Type}");
        }

        if (frame.TerminalId is null || !IdPattern().IsMatch(frame.TerminalId) || frame.StoreId is null || frame.ProtocolVersion is null || frame.Clock is null)
        {
            throw new PeerProtocolException(PeerCloseCodes.MalformedFrame, $"{type} needs terminalId (1-32 of A-Z a-z 0-9 - _), storeId, protocolVersion and clock");
        }
    }

    /// <summary>Refuses another version, another store, or a peer using this lane's own id.</summary>
    public static void CheckPeer(PeerFrame frame, string ownStoreId, string ownTerminalId)
    {
        if (frame.ProtocolVersion != PeerFrameTypes.ProtocolVersion)
        {
            throw new PeerProtocolException(PeerCloseCodes.UnsupportedVersion, $"protocol version {frame.ProtocolVersion} not supported; this lane speaks {PeerFrameTypes.ProtocolVersion}");
        }

        if (!string.Equals(frame.StoreId, ownStoreId, StringComparison.Ordinal))
        {
            throw new PeerProtocolException(PeerCloseCodes.UnknownStore, $"unknown store '{frame.StoreId}'");
        }

        if (string.Equals(frame.TerminalId, ownTerminalId, StringComparison.Ordinal))
        {
            throw new PeerProtocolException(PeerCloseCodes.DuplicateTerminal, $"terminal id '{frame.TerminalId}' is this lane's own");
        }
    }

    /// <summary>Remote clock minus local clock, in ms (positive: the peer is ahead); logs a warning over the bound.</summary>
    public static double CheckSkew(PeerFrame frame, DateTimeOffset now, int maxSkewMs, ILogger logger)
    {
        var skew = ((frame.Clock ?? now) - now).TotalMilliseconds;
        if (Math.Abs(skew) > maxSkewMs)
        {
            logger.LogWarning("Clock skew with peer {PeerId} is {SkewMs:F0} ms (bound {MaxSkewMs} ms)", frame.TerminalId, skew, maxSkewMs);
        }

        return skew;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex IdPattern();
}
