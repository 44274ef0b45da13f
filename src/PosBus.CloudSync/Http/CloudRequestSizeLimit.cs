using System.Text.Json;
using PosBus.Ledger;

namespace PosBus.CloudSync.Http;

/// <summary>
/// A message must fit one request to the function on its own (<c>CloudSync:MaxRequestBytes</c>), or it could never be
/// uploaded. The request is built only when a cheap bound (three UTF-8 bytes a character) says it might not fit.
/// </summary>
internal sealed class CloudRequestSizeLimit(int maxRequestBytes) : IMessageSizeLimit
{
    const int EnvelopeBytes = 1024;

    // The longest ids the function takes: a request of the real uploader is never larger than this one.
    static readonly string LongestId = new('x', 64);

    public string? Refuse(LedgerRow row)
    {
        if (EnvelopeBytes + 3L * (row.Body.Length + row.Topic.Length + row.OriginTerminal.Length) <= maxRequestBytes)
        {
            return null;
        }

        int bytes;
        try
        {
            var message = new CloudMessage
            {
                MessageId = row.MessageId, OriginTerminalId = row.OriginTerminal, Topic = row.Topic, Data = row.Body,
                Timestamp = row.CreatedAt, PeerAckedAt = row.CreatedAt,
            };
            bytes = CloudBatchJson.Write(new CloudBatch(LongestId, LongestId, [message])).Length;
        }
        catch (JsonException)
        {
            return null; // not JSON: the uploader dead-letters it with that reason, which says more than its size
        }

        return bytes <= maxRequestBytes
            ? null
            : $"message {row.MessageId} ({row.Topic}) makes a {bytes}-byte cloud request on its own, over CloudSync:MaxRequestBytes ({maxRequestBytes}): the cloud function would refuse it";
    }
}
