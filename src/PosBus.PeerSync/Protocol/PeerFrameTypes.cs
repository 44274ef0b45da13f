namespace PosBus.PeerSync.Protocol;

/// <summary>The <c>type</c> values of <see cref="PeerFrame"/>, and the protocol version this build speaks.</summary>
internal static class PeerFrameTypes
{
    public const int ProtocolVersion = 1;

    public const string Challenge = "challenge";
    public const string Hello = "hello";
    public const string Welcome = "welcome";
    public const string Batch = "batch";
    public const string Ack = "ack";
    public const string Ping = "ping";
    public const string Pong = "pong";

    static readonly HashSet<string> Known = [Challenge, Hello, Welcome, Batch, Ack, Ping, Pong];

    public static bool IsKnown(string type) => Known.Contains(type);
}
