namespace PosBus.Testing;

/// <summary>Polls until a value appears or the time is up: tests wait for facts, never for fixed sleeps.</summary>
static class StateWait
{
    static readonly TimeSpan Every = TimeSpan.FromMilliseconds(25);

    /// <summary>The first non-null value <paramref name="probe"/> returns, or null when <paramref name="timeout"/> passed first.</summary>
    public static async Task<T?> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, CancellationToken cancellationToken)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe().ConfigureAwait(false) is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return null;
            }

            await Task.Delay(Every, cancellationToken).ConfigureAwait(false);
        }
    }
}
