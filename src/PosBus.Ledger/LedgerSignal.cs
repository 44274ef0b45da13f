namespace PosBus.Ledger;

/// <summary>
/// Wakes every waiter at once when new rows are committed, so senders and delivery loops react in
/// microseconds instead of polling. Waiters still poll on a timeout for rows another process wrote.
/// </summary>
public sealed class LedgerSignal
{
    TaskCompletionSource _next = NewSource();

    /// <summary>Wakes everyone currently waiting.</summary>
    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    /// <summary>Returns when pulsed or when <paramref name="timeout"/> passes; true if pulsed.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pulsed = Volatile.Read(ref _next).Task;
        var finished = await Task.WhenAny(pulsed, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return finished == pulsed;
    }

    static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
