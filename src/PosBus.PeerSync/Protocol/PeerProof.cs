using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PosBus.PeerSync.Protocol;

/// <summary>
/// Challenge-response over the store secret: each side signs the other's fresh nonce with HMAC-SHA256, so the
/// secret never crosses the wire and a recorded hello or welcome is useless on a new connection.
/// </summary>
internal static class PeerProof
{
    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The dialer's proof: signs the listener's nonce, binding both nonces and both ids.</summary>
    public static string ForHello(string secret, string listenerNonce, string dialerNonce, string dialerId, string storeId, string listenerId, int version) =>
        Compute(secret, "hello", listenerNonce, dialerNonce, dialerId, storeId, listenerId, version);

    /// <summary>The listener's proof: signs the dialer's nonce (mutual authentication).</summary>
    public static string ForWelcome(string secret, string dialerNonce, string listenerNonce, string listenerId, string storeId, string dialerId, int version) =>
        Compute(secret, "welcome", dialerNonce, listenerNonce, listenerId, storeId, dialerId, version);

    public static bool Matches(string expected, string? actual) =>
        actual is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    static string Compute(string secret, string role, string nonceSigned, string ownNonce, string senderId, string storeId, string receiverId, int version)
    {
        var message = string.Join('\n', "posbus-peer", role, nonceSigned, ownNonce, senderId, storeId, receiverId, version.ToString(CultureInfo.InvariantCulture));
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message)));
    }
}
