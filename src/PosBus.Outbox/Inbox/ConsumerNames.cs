namespace PosBus.Outbox.Inbox;

/// <summary>A consumer's name in <c>inbox.consumer</c> and <c>consumer_dead_letter.consumer</c>: its full type name.</summary>
static class ConsumerNames
{
    public static string Of<TConsumer>() => typeof(TConsumer).FullName ?? typeof(TConsumer).Name;
}
