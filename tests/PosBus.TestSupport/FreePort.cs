using PosBus.PeerSync.Hosting;

namespace PosBus.TestSupport;

/// <summary>A TCP port on 127.0.0.1 that nothing listens on, outside the range outgoing connections take theirs from.</summary>
public static class FreePort
{
    public static int Next() => UnusedLoopbackPort.Next();
}
