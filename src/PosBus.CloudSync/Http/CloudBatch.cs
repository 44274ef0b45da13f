namespace PosBus.CloudSync.Http;

/// <summary>One request to the function: who uploads, for which store, and the messages.</summary>
public sealed record CloudBatch(string TerminalId, string StoreId, IReadOnlyList<CloudMessage> Messages);
