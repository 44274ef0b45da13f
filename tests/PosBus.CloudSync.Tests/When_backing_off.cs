namespace PosBus.CloudSync.Tests;

public class When_backing_off
{
    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(4, 8000)]
    public void Waits_between_half_and_all_of_the_doubled_step(int attempt, int step)
    {
        var random = new Random(42);
        var delays = Enumerable.Range(0, 500).Select(_ => CloudBackoff.Delay(attempt, 1000, 60_000, random).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, step / 2.0, step));
        Assert.True(delays.Max() - delays.Min() > step / 4.0, "jitter spreads the delays");
    }

    [Fact]
    public void Never_exceeds_the_maximum_even_after_many_attempts()
    {
        var random = new Random(1);
        Assert.All(new[] { 10, 31, 1000, int.MaxValue }, a => Assert.InRange(CloudBackoff.Delay(a, 1000, 30_000, random).TotalMilliseconds, 15_000, 30_000));
    }
}
