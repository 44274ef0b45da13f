using System.Text.Json;

namespace PosBus.Testing;

/// <summary>One message as a lane uploaded it to the <see cref="FakeCloud"/>: the function's fields, <see cref="Data"/> being the message body.</summary>
public sealed record FakeCloudMessage(
    Guid MessageId, string TerminalId, string StoreId, string OriginTerminalId, string Topic, JsonElement Data, DateTimeOffset Timestamp);
