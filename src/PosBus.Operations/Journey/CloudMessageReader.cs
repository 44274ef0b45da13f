using System.Text.Json;
using System.Text.Json.Nodes;
using PosBus.CloudSync.Http;
using PosBus.Operations.CloudReads;

namespace PosBus.Operations.Journey;

/// <summary>
/// Where the cloud holds one message (<c>GET ?action=message&amp;messageId=&amp;storeId=</c> of the function): its
/// <c>pos_messages</c> row's store, origin lane, times and uploader. Never throws for the cloud being away: the answer
/// then says so (<c>error</c>), since a journey is most wanted exactly when something is wrong.
/// </summary>
public sealed class CloudMessageReader(CloudFunctionReads reads)
{
    public async Task<JsonObject> ReadAsync(Guid messageId, string storeId, CancellationToken cancellationToken)
    {
        var answer = new JsonObject { ["enabled"] = reads.IsActive };
        if (!reads.IsActive)
        {
            return answer;
        }

        try
        {
            var query = $"?action=message&messageId={messageId:D}&storeId={Uri.EscapeDataString(storeId)}";
            var body = JsonNode.Parse(await reads.GetAsync(query, "message", storeId, cancellationToken).ConfigureAwait(false))?.AsObject();
            var found = body?["found"]?.GetValue<bool>() ?? false;
            answer["found"] = found;
            if (found && body?["message"] is JsonObject row)
            {
                foreach (var (key, value) in row)
                {
                    answer[key] = value?.DeepClone();
                }
            }
        }
        catch (Exception e) when (e is CloudTransientException or CloudConfigurationException or JsonException or InvalidOperationException)
        {
            answer["error"] = e.Message;
        }

        return answer;
    }
}
