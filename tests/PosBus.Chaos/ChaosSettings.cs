using PosBus.Terminal.Cli;

namespace PosBus.Chaos;

/// <summary>How long and how hard to shake the store; every value has a default fit for a CI run of a few minutes.</summary>
public sealed record ChaosSettings
{
    /// <summary>Length of the chaos phase (kills, cuts, outages); the settle phase comes on top.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Lanes of the store, each a `run` process with a `simulate` writer beside it.</summary>
    public int Lanes { get; init; } = 3;

    /// <summary>Sales per second each writer rings up.</summary>
    public double Rate { get; init; } = 5;

    /// <summary>Seed of every random choice, printed so a failing run can be repeated.</summary>
    public int Seed { get; init; }

    /// <summary>After the chaos, how long every sale has to reach cloud_ack before the rest counts as stuck.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Keep the lanes' folders (databases, logs) even when the run passed.</summary>
    public bool Keep { get; init; }

    public static ChaosSettings Parse(string[] args)
    {
        var arguments = CliArguments.Parse(["chaos", .. args]);
        var settings = new ChaosSettings
        {
            Duration = TimeSpan.FromMinutes(arguments.Number("--minutes", fallback: 2, min: 0.1, max: 24 * 60)),
            Lanes = arguments.WholeNumber("--lanes", fallback: 3, min: 2, max: 9),
            Rate = arguments.Number("--rate", fallback: 5, min: 0.1, max: 1000),
            Seed = arguments.WholeNumber("--seed", fallback: Random.Shared.Next(), min: 0, max: int.MaxValue),
            Settle = TimeSpan.FromMinutes(arguments.Number("--settle-minutes", fallback: 3, min: 0.5, max: 60)),
            Keep = arguments.Has("--keep"),
        };
        arguments.RejectUnknown();
        return settings;
    }
}
