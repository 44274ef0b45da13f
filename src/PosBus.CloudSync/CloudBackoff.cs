namespace PosBus.CloudSync;

/// <summary>
/// Exponential backoff with "equal jitter": attempt n waits between half and all of
/// min(max, base · 2^(n-1)). The random half spreads lanes of a store that failed together.
/// </summary>
public static class CloudBackoff
{
    /// <param name="attempt">Failed attempts so far, counting the one just failed (1 = first failure).</param>
    public static TimeSpan Delay(int attempt, int baseMs, int maxMs, Random random)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var cap = Math.Min((double)maxMs, baseMs * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(cap / 2 + random.NextDouble() * cap / 2);
    }
}
