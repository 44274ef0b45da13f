namespace PosBus.Reliability.Tests.Support;

/// <summary>The suite's one definition of the percentiles it reports, over latencies already sorted ascending (milliseconds).</summary>
internal static class LatencySummary
{
    public static double P50(IReadOnlyList<double> sorted) => sorted[sorted.Count / 2];

    public static double P99(IReadOnlyList<double> sorted) => sorted[(int)Math.Ceiling(sorted.Count * 0.99) - 1];

    public static string Describe(IReadOnlyList<double> sorted) =>
        $"p50 {P50(sorted):F1} ms, p99 {P99(sorted):F1} ms, max {sorted[^1]:F1} ms over {sorted.Count}";
}
