using System.Text.Json.Serialization;

namespace PosBus.PeerSync.Protocol;

/// <summary>Source-generated JSON for frames: no reflection on the hot path; nulls left out; missing required or null non-nullable fields are malformed.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(PeerFrame))]
internal sealed partial class PeerJsonContext : JsonSerializerContext;
