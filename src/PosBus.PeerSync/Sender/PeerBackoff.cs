namespace PosBus.PeerSync.Sender;

/// <summary>Exponential backoff with equal jitter: half the capped delay is fixed, the other half random, so lanes restarted together spread out.</summary>
internal static class PeerBackoff
{
    public static TimeSpan Delay(int attempt, int baseMs, int maxMs, Random random)
    {
        var capped = Math.Min(maxMs, baseMs * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds((capped / 2) + (random.NextDouble() * capped / 2));
    }
}
