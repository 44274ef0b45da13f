namespace PosBus.PeerSync.Tests.Fixtures;

/// <summary>The system clock shifted by a fixed offset: a lane whose clock is wrong.</summary>
public sealed class OffsetTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
