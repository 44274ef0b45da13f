namespace PosBus.Contracts;

/// <summary>Names the seed's sync topic (<c>transaction</c>, <c>inventory</c>, <c>customer</c>) of a message type.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PosTopicAttribute(string topic) : Attribute
{
    public string Topic { get; } = topic;
}
