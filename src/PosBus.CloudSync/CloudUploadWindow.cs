namespace PosBus.CloudSync;

/// <summary>
/// How much a pass sends at once: the batch size and the requests in flight, adapted AIMD-style between
/// <see cref="CloudSyncOptions.BatchSize"/> / <see cref="CloudSyncOptions.MaxInFlightBatches"/> (start and floor) and
/// <see cref="CloudSyncOptions.MaxBatchSize"/> / <see cref="CloudSyncOptions.MaxInFlightLimit"/> (ceiling). A fast
/// answer to a full batch (a backlog remains) doubles the batch size (after a decrease in the same pass it adds the
/// starting size instead, so that it does not jump straight back), and once that is at its ceiling adds one request in
/// flight. A transient failure (network, timeout, 429, 5xx) or an answer slower than
/// <see cref="CloudSyncOptions.TargetLatency"/> halves both; a 413 halves the batch size and keeps it there for the rest
/// of the pass (the function's limit, or messages that are large just now). One lane-wide instance, so what a pass
/// learned carries over to the next. Pure logic: the pass feeds it what it observed.
/// </summary>
public sealed class CloudUploadWindow
{
    readonly Lock _lock = new();
    int _batchSize; // 0 until the first pass applies its settings: then the configured start
    int _inFlight;

    // Bumped by every decrease: answers to requests sent before it carry an older value and cannot decrease again,
    // so that the requests in flight during one slowdown count as one signal, not one halving each.
    int _epoch;
    CloudSyncOptions _bounds = new();

    // Half the size the function last refused with a 413 in this pass: growth stops there until the next pass probes again.
    int? _refusedCap;

    // True until the pass's first decrease: till then growth doubles, after it growth is additive (TCP's slow start
    // and congestion avoidance), so that one fast answer right after a failure does not undo the halving.
    bool _doubling = true;

    /// <summary>Messages to read for the next request.</summary>
    public int BatchSize
    {
        get
        {
            lock (_lock)
            {
                return _batchSize;
            }
        }
    }

    /// <summary>Requests the pass may keep in flight now.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Tags a request about to be sent; hand it back to <see cref="Observe"/> with what came of it.</summary>
    public int Epoch
    {
        get
        {
            lock (_lock)
            {
                return _epoch;
            }
        }
    }

    /// <summary>
    /// Takes a pass's settings (a live retune applies from the next pass): the window is moved into the new bounds, or,
    /// with <see cref="CloudSyncOptions.Adaptive"/> off, fixed at <see cref="CloudSyncOptions.BatchSize"/> ×
    /// <see cref="CloudSyncOptions.MaxInFlightBatches"/>.
    /// </summary>
    public void Apply(CloudSyncOptions settings)
    {
        lock (_lock)
        {
            _bounds = settings;
            _refusedCap = null;
            _doubling = true;
            _batchSize = settings.Adaptive ? Math.Clamp(_batchSize, settings.BatchSize, MaxBatch) : settings.BatchSize;
            _inFlight = settings.Adaptive ? Math.Clamp(_inFlight, settings.MaxInFlightBatches, MaxInFlight) : settings.MaxInFlightBatches;
        }
    }

    /// <summary>What one batch came to.</summary>
    /// <param name="epoch">The <see cref="Epoch"/> read when the batch was sent.</param>
    /// <param name="requested">The batch size the batch was read with.</param>
    /// <param name="sent">Messages it held: fewer than <paramref name="requested"/> means no backlog is left.</param>
    /// <param name="answeredIn">Time of its request(s) to the function, without the ledger's write.</param>
    public void Observe(int epoch, int requested, int sent, CloudBatchOutcome outcome, TimeSpan answeredIn)
    {
        lock (_lock)
        {
            if (!_bounds.Adaptive || outcome.ConfigurationError is not null)
            {
                return;
            }

            if (outcome.TransientError is not null || answeredIn > _bounds.TargetLatency)
            {
                Decrease(epoch, halveInFlight: true);
            }
            else if (outcome.TooLarge)
            {
                _refusedCap = Math.Max(_bounds.BatchSize, Math.Min(_refusedCap ?? int.MaxValue, requested / 2));
                Decrease(epoch, halveInFlight: false);
            }
            else if (sent >= requested && requested >= _batchSize && epoch == _epoch)
            {
                // Only a batch of the current size, sent since the last decrease, grows it: the others in flight were
                // sent before the last change, so the window doubles once per round of answers, not once per answer.
                Increase();
            }
        }
    }

    int MaxBatch => Math.Max(_bounds.BatchSize, Math.Min(_bounds.MaxBatchSize, _refusedCap ?? int.MaxValue));

    int MaxInFlight => Math.Max(_bounds.MaxInFlightBatches, _bounds.MaxInFlightLimit);

    void Increase()
    {
        if (_batchSize < MaxBatch)
        {
            _batchSize = Math.Min(MaxBatch, _doubling ? _batchSize * 2 : _batchSize + _bounds.BatchSize);
        }
        else if (_inFlight < MaxInFlight)
        {
            _inFlight++;
        }
    }

    void Decrease(int epoch, bool halveInFlight)
    {
        if (epoch != _epoch)
        {
            return;
        }

        _epoch++;
        _doubling = false;
        _batchSize = Math.Max(_bounds.BatchSize, _batchSize / 2);
        if (halveInFlight)
        {
            _inFlight = Math.Max(_bounds.MaxInFlightBatches, _inFlight / 2);
        }
    }
}
