namespace PosBus.CloudSync.Tests;

/// <summary>The pure AIMD logic of <see cref="CloudUploadWindow"/>: what it does with each observation, no ledger, no network.</summary>
public sealed class When_the_upload_window_adapts
{
    static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(50);
    readonly CloudUploadWindow _window = new();

    static CloudSyncOptions Settings(bool adaptive = true) => new()
    {
        BatchSize = 50, MaxInFlightBatches = 2, MaxBatchSize = 1000, MaxInFlightLimit = 4, TargetLatency = TimeSpan.FromSeconds(2), Adaptive = adaptive,
    };

    void Full(TimeSpan? took = null, CloudBatchOutcome? outcome = null) =>
        _window.Observe(_window.Epoch, _window.BatchSize, _window.BatchSize, outcome ?? new CloudBatchOutcome(), took ?? Fast);

    void Grow(int answers)
    {
        for (var i = 0; i < answers; i++)
        {
            Full();
        }
    }

    [Fact]
    public void It_starts_at_the_configured_batch_size_and_requests_in_flight()
    {
        _window.Apply(Settings());

        Assert.Equal((50, 2), (_window.BatchSize, _window.InFlight));
    }

    [Fact]
    public void Fast_full_batches_double_the_batch_up_to_its_ceiling_then_add_requests_in_flight_up_to_theirs()
    {
        _window.Apply(Settings());
        var seen = new List<(int, int)>();
        for (var i = 0; i < 10; i++)
        {
            Full();
            seen.Add((_window.BatchSize, _window.InFlight));
        }

        Assert.Equal([(100, 2), (200, 2), (400, 2), (800, 2), (1000, 2), (1000, 3), (1000, 4), (1000, 4), (1000, 4), (1000, 4)], seen);
    }

    [Fact]
    public void A_batch_that_is_not_full_means_no_backlog_and_grows_nothing()
    {
        _window.Apply(Settings());

        _window.Observe(_window.Epoch, 50, 49, new CloudBatchOutcome(), Fast);

        Assert.Equal((50, 2), (_window.BatchSize, _window.InFlight));
    }

    [Fact]
    public void An_answer_to_a_batch_read_before_the_last_growth_grows_nothing_more()
    {
        _window.Apply(Settings());
        Full(); // 100

        _window.Observe(_window.Epoch, 50, 50, new CloudBatchOutcome(), Fast);

        Assert.Equal(100, _window.BatchSize);
    }

    [Fact]
    public void A_transient_failure_halves_batch_and_requests_in_flight_but_never_below_the_configured_start()
    {
        _window.Apply(Settings());
        Grow(8);

        Assert.Equal((1000, 4), (_window.BatchSize, _window.InFlight));

        Full(outcome: new CloudBatchOutcome { TransientError = "HTTP 503" });
        Assert.Equal((500, 2), (_window.BatchSize, _window.InFlight));
        for (var i = 0; i < 5; i++)
        {
            Full(outcome: new CloudBatchOutcome { TransientError = "timed out after 15 s" });
        }

        Assert.Equal((50, 2), (_window.BatchSize, _window.InFlight));
    }

    [Fact]
    public void An_answer_slower_than_the_target_halves_both()
    {
        _window.Apply(Settings());
        Grow(7);

        Full(TimeSpan.FromSeconds(2.5));

        Assert.Equal((500, 2), (_window.BatchSize, _window.InFlight));
    }

    [Fact]
    public void Several_answers_from_one_slowdown_halve_once()
    {
        _window.Apply(Settings());
        Grow(7);

        var epoch = _window.Epoch; // four requests sent before the slowdown was seen
        for (var i = 0; i < 4; i++)
        {
            _window.Observe(epoch, 1000, 1000, new CloudBatchOutcome { TransientError = "HTTP 503" }, Fast);
        }

        Assert.Equal((500, 2), (_window.BatchSize, _window.InFlight));
    }

    [Fact]
    public void A_fast_answer_to_a_batch_sent_before_a_decrease_does_not_undo_it()
    {
        _window.Apply(Settings());
        Full(); // 100
        var before = _window.Epoch;
        Full(outcome: new CloudBatchOutcome { TransientError = "HTTP 503" }); // 50

        _window.Observe(before, 50, 50, new CloudBatchOutcome(), Fast);

        Assert.Equal(50, _window.BatchSize);
    }

    [Fact]
    public void After_a_decrease_it_grows_by_the_starting_size_until_the_next_pass_doubles_again()
    {
        _window.Apply(Settings());
        Grow(4); // 800

        Full(outcome: new CloudBatchOutcome { TransientError = "HTTP 429" }); // 400
        Full();
        Full();
        Assert.Equal(500, _window.BatchSize);

        _window.Apply(Settings());
        Full();
        Assert.Equal(1000, _window.BatchSize);
    }

    [Fact]
    public void A_413_halves_the_batch_only()
    {
        _window.Apply(Settings());
        Grow(6);

        Full(outcome: new CloudBatchOutcome { TooLarge = true });

        Assert.Equal((500, 3), (_window.BatchSize, _window.InFlight));
    }

    [Fact]
    public void After_a_413_it_grows_no_further_than_the_half_that_fitted_until_the_next_pass()
    {
        _window.Apply(Settings());
        Full(); // 100
        Full(); // 200
        Full(outcome: new CloudBatchOutcome { TooLarge = true }); // 200 refused: 100

        Full();
        Full();
        Assert.Equal((100, 4), (_window.BatchSize, _window.InFlight));

        _window.Apply(Settings());
        Full();
        Assert.Equal(200, _window.BatchSize);
    }

    [Fact]
    public void A_configuration_error_changes_nothing()
    {
        _window.Apply(Settings());
        Full();

        Full(TimeSpan.FromSeconds(9), new CloudBatchOutcome { ConfigurationError = "HTTP 401" });

        Assert.Equal((100, 2), (_window.BatchSize, _window.InFlight));
    }

    [Fact]
    public void Turned_off_it_keeps_the_configured_values_whatever_it_observes()
    {
        _window.Apply(Settings(adaptive: false));

        Full();
        Full(TimeSpan.FromSeconds(5));

        Assert.Equal((50, 2), (_window.BatchSize, _window.InFlight));
    }

    [Fact]
    public void New_bounds_apply_to_what_it_learned()
    {
        _window.Apply(Settings());
        Grow(8);

        var narrower = Settings();
        narrower.MaxBatchSize = 300;
        narrower.MaxInFlightLimit = 3;
        _window.Apply(narrower);
        Assert.Equal((300, 3), (_window.BatchSize, _window.InFlight));

        var higherStart = Settings();
        higherStart.BatchSize = 500;
        _window.Apply(higherStart);
        Assert.Equal((500, 3), (_window.BatchSize, _window.InFlight));
    }

    [Fact]
    public void What_it_learned_carries_over_to_the_next_pass()
    {
        _window.Apply(Settings());
        Full();
        Full();

        _window.Apply(Settings());

        Assert.Equal(200, _window.BatchSize);
    }
}
