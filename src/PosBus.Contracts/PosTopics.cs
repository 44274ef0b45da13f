using System.Collections.Concurrent;
using System.Reflection;

namespace PosBus.Contracts;

/// <summary>The seed's topic names, and the lookup from a message type to its topic.</summary>
public static class PosTopics
{
    public const string Transaction = "transaction";
    public const string Inventory = "inventory";
    public const string Customer = "customer";

    /// <summary>Topic of messages that are not POS domain messages (e.g. a lane-local command).</summary>
    public const string Other = "other";

    static readonly ConcurrentDictionary<Type, string> Cache = new();

    /// <summary>The topic declared with <see cref="PosTopicAttribute"/>, or <see cref="Other"/>.</summary>
    public static string Of(Type messageType) =>
        Cache.GetOrAdd(messageType, static t => t.GetCustomAttribute<PosTopicAttribute>()?.Topic ?? Other);
}
