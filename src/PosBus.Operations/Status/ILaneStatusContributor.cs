using System.Text.Json.Nodes;

namespace PosBus.Operations.Status;

/// <summary>A stage that adds its own keys (peers, replicas, cloud) to the lane's status object.</summary>
public interface ILaneStatusContributor
{
    Task ContributeAsync(JsonObject status, CancellationToken cancellationToken);
}
