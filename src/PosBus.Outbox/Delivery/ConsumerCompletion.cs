namespace PosBus.Outbox.Delivery;

/// <summary>
/// Which handed-over rows the local consumers have not completed yet, per stream, so that the saved delivery position
/// never passes one: a row counts as complete once every endpoint it reached has finished it (handled, skipped by the
/// inbox, or recorded as a local dead letter). Lives in memory for the current lease holder only; a process that takes
/// delivery over starts from the saved positions, which by construction reflect completion, and the inbox absorbs what
/// it redelivers.
/// </summary>
sealed class ConsumerCompletion
{
    readonly Lock _gate = new();
    readonly Dictionary<Guid, InFlight> _byMessage = [];
    readonly Dictionary<string, SortedSet<long>> _open = new(StringComparer.Ordinal);

    /// <summary>Rows handed over and not completed yet, over all streams.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_gate)
            {
                return _byMessage.Count;
            }
        }
    }

    /// <summary>Forgets everything: this process (re)starts delivering from the saved positions.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _byMessage.Clear();
            _open.Clear();
        }
    }

    /// <summary>Called before a row is handed over: it is complete once each of <paramref name="endpoints"/> finished it.</summary>
    public void Expect(string stream, long sequence, Guid messageId, IReadOnlyList<LocalEndpoint> endpoints)
    {
        lock (_gate)
        {
            Remove(messageId);
            if (endpoints.Count == 0)
            {
                return;
            }

            _byMessage[messageId] = new InFlight(stream, sequence, [.. endpoints]);
            if (!_open.TryGetValue(stream, out var open))
            {
                _open[stream] = open = [];
            }

            open.Add(sequence);
        }
    }

    /// <summary><paramref name="endpoint"/> finished <paramref name="messageId"/>; unknown pairs (a previous run's rows) are ignored.</summary>
    public void Completed(LocalEndpoint endpoint, Guid messageId)
    {
        lock (_gate)
        {
            if (_byMessage.TryGetValue(messageId, out var inFlight) && inFlight.Waiting.Remove(endpoint) && inFlight.Waiting.Count == 0)
            {
                Remove(messageId);
            }
        }
    }

    /// <summary>The highest sequence of <paramref name="stream"/> up to which every row is complete, given it was handed over up to <paramref name="handed"/>.</summary>
    public long CompletedThrough(string stream, long handed)
    {
        lock (_gate)
        {
            return _open.TryGetValue(stream, out var open) && open.Count > 0 ? Math.Min(open.Min - 1, handed) : handed;
        }
    }

    void Remove(Guid messageId)
    {
        if (_byMessage.Remove(messageId, out var previous))
        {
            _open[previous.Stream].Remove(previous.Sequence);
        }
    }

    sealed record InFlight(string Stream, long Sequence, HashSet<LocalEndpoint> Waiting);
}
