using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace PosBus.PeerSync.Sender;

/// <summary>
/// Which <c>wss://</c> servers a dialer trusts: any the system trusts, plus a peer presenting the store's own configured
/// certificate (lanes of one store share it, so a self-signed store certificate works without a CA).
/// </summary>
public sealed class PeerTlsTrust(IOptions<PeerSyncOptions> options)
{
    readonly Lazy<byte[]?> _storeCertificateHash = new(() =>
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.TlsCertificatePath))
        {
            return null;
        }

        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(o.TlsCertificatePath, o.TlsCertificatePassword);
        return certificate.GetCertHash(HashAlgorithmName.SHA256);
    });

    /// <summary>Whether to trust the server certificate a peer presented.</summary>
    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None
        || (certificate is not null && _storeCertificateHash.Value is { } expected
            && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), expected));
}
