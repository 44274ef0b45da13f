using System.Net;
using Microsoft.Extensions.Options;

namespace PosBus.PeerSync;

/// <summary>Reports every bad <see cref="PeerSyncOptions"/> value at once, naming its key, so a lane fails at start.</summary>
public sealed class PeerSyncOptionsValidator : IValidateOptions<PeerSyncOptions>
{
    /// <summary>Shortest accepted store secret.</summary>
    public const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, PeerSyncOptions options)
    {
        var failures = new List<string>();
        void Fail(string key, string message) => failures.Add($"{PeerSyncOptions.SectionName}:{key} {message}");

        if (options.Port is < 1 or > 65535)
        {
            Fail(nameof(options.Port), $"(TERMINAL_PORT) must be 1-65535; got {options.Port}.");
        }

        if (options.BindAddress != "localhost" && !IPAddress.TryParse(options.BindAddress, out _))
        {
            Fail(nameof(options.BindAddress), $"must be an IP address, 'localhost' or '0.0.0.0'; got '{options.BindAddress}'.");
        }

        foreach (var url in options.Peers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "ws" && uri.Scheme != "wss"))
            {
                Fail(nameof(options.Peers), $"(PEER_TERMINALS) entries must be ws:// or wss:// URLs; got '{url}'.");
            }
        }

        // The listener is always on, so the secret is always needed: without it no peer could prove anything.
        if ((options.StoreSecret ?? "").Length < MinSecretLength)
        {
            Fail(nameof(options.StoreSecret), $"(STORE_SECRET) is required and must be at least {MinSecretLength} characters.");
        }

        if (string.IsNullOrEmpty(options.Path) || options.Path[0] != '/')
        {
            Fail(nameof(options.Path), $"must start with '/'; got '{options.Path}'.");
        }

        Positive(nameof(options.BatchSize), options.BatchSize);
        Positive(nameof(options.MaxUnackedBatches), options.MaxUnackedBatches);
        Positive(nameof(options.HeartbeatIntervalMs), options.HeartbeatIntervalMs);
        Positive(nameof(options.ReconnectBaseMs), options.ReconnectBaseMs);
        Positive(nameof(options.HelloTimeoutMs), options.HelloTimeoutMs);
        Positive(nameof(options.MaxClockSkewMs), options.MaxClockSkewMs);
        Positive(nameof(options.PollIntervalMs), options.PollIntervalMs);
        if (options.DeadLinkTimeoutMs <= options.HeartbeatIntervalMs)
        {
            Fail(nameof(options.DeadLinkTimeoutMs), $"must exceed HeartbeatIntervalMs ({options.HeartbeatIntervalMs}); got {options.DeadLinkTimeoutMs}.");
        }

        if (options.ReconnectMaxMs < options.ReconnectBaseMs)
        {
            Fail(nameof(options.ReconnectMaxMs), $"must be at least ReconnectBaseMs ({options.ReconnectBaseMs}); got {options.ReconnectMaxMs}.");
        }

        if (options.MaxFrameBytes < 4096)
        {
            Fail(nameof(options.MaxFrameBytes), $"must be at least 4096; got {options.MaxFrameBytes}.");
        }

        if (!string.IsNullOrEmpty(options.TlsCertificatePath) && !File.Exists(options.TlsCertificatePath))
        {
            Fail(nameof(options.TlsCertificatePath), $"names a file that does not exist: '{options.TlsCertificatePath}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(string key, int value)
        {
            if (value <= 0)
            {
                Fail(key, $"must be positive; got {value}.");
            }
        }
    }
}
