using System.Net;
using System.Net.Sockets;

namespace PosBus.PeerSync.Hosting;

/// <summary>
/// Listening ports on 127.0.0.1 for lanes that a tool starts itself (the demo, the tests, the chaos runner), chosen
/// below the OS's range of ephemeral ports. A port from bind(0) lies inside that range, and between choosing it and
/// the lane binding it, or while a killed lane restarts, any outgoing connection on the machine (a pooled database or
/// HTTP connection) may be given it as its local port; the lane then fails with "address already in use" until that
/// connection closes. Seen in CI: a chaos lane could not start for two minutes.
/// </summary>
public static class UnusedLoopbackPort
{
    const int Lowest = 20_000;
    const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";

    // Read once: the range is a machine setting, and a tool may start dozens of lanes.
    static readonly int Limit = FirstEphemeralPort();
    static readonly Lock Gate = new();
    static int s_candidate = -1;

    /// <summary>A port nothing listens on now, never the same one twice in this process.</summary>
    public static int Next()
    {
        if (Limit - Lowest < 1_000)
        {
            return AnyFreePort();
        }

        lock (Gate)
        {
            // A random start spreads processes that pick ports at the same time over the range.
            if (s_candidate < 0)
            {
                s_candidate = Random.Shared.Next(Lowest, Limit);
            }

            for (var tried = 0; tried < Limit - Lowest; tried++)
            {
                var port = s_candidate;
                s_candidate = port + 1 < Limit ? port + 1 : Lowest;
                if (IsFree(port))
                {
                    return port;
                }
            }
        }

        return AnyFreePort();
    }

    /// <summary>The lower end of Linux's ephemeral range; elsewhere the IANA one (49152).</summary>
    static int FirstEphemeralPort()
    {
        try
        {
            return File.Exists(EphemeralRange) && int.TryParse(File.ReadAllText(EphemeralRange).Split('\t', ' ')[0], out var first)
                ? first
                : 49_152;
        }
        catch (IOException)
        {
            return 49_152;
        }
    }

    static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    static int AnyFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
