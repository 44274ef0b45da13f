using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PosBus.PeerSync.Tests.Fixtures;

namespace PosBus.PeerSync.Tests;

public sealed class When_peers_use_tls
{
    [Fact]
    public async Task Lanes_sharing_the_store_certificate_sync_over_wss()
    {
        var certificatePath = Path.Combine(Path.GetTempPath(), $"posbus-peer-{Guid.NewGuid():N}.pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=posbus-store-1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllBytesAsync(certificatePath, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        }

        try
        {
            void Tls(Dictionary<string, string?> s)
            {
                s["PeerSync:TlsCertificatePath"] = certificatePath;
                s["PeerSync:TlsCertificatePassword"] = "pfx-password";
            }

            await using var l1 = PeerTestLane.Create("L1", Tls, scheme: "wss");
            await using var l2 = PeerTestLane.Create("L2", Tls, scheme: "wss");
            l1.DialsTo(l2);
            l2.DialsTo(l1);
            await l1.StartAsync();
            await l2.StartAsync();

            await Task.WhenAll(l1.WriteSalesAsync(50), l2.WriteSalesAsync(20));

            await PeerAssert.SyncedAsync(l1, l2);
            await PeerAssert.SyncedAsync(l2, l1);
        }
        finally
        {
            File.Delete(certificatePath);
        }
    }
}
