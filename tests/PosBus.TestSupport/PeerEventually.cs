namespace PosBus.TestSupport;

/// <summary><see cref="Eventually"/> as an assertion: fails with what was awaited when the condition never holds.</summary>
public static class PeerEventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        if (!await Eventually.TrueAsync(condition, timeout))
        {
            throw new TimeoutException($"Still not true after {timeout.TotalSeconds:F0} s: {what}");
        }
    }
}
