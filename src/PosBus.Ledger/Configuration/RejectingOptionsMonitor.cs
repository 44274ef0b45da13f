using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace PosBus.Ledger.Configuration;

/// <summary>
/// The options monitor of a live-retunable section. On every configuration change it builds the options anew (bind,
/// post-configure, validate): a valid result replaces the current value and is logged as "key old → new"; an invalid
/// one is logged with the key's name and the last good value stays. The framework's monitor would instead throw
/// from the file watcher's callback and keep answering every later read with that exception.
/// </summary>
/// <remarks>Only the default (unnamed) options instance is served; PosBus uses no named options.</remarks>
public sealed class RejectingOptionsMonitor<TOptions> : IOptionsMonitor<TOptions>, IDisposable where TOptions : class
{
    readonly IOptionsFactory<TOptions> _factory;
    readonly ILogger _logger;
    readonly List<IDisposable> _registrations = [];
    readonly Lock _gate = new();
    readonly List<Action<TOptions, string?>> _listeners = [];
    TOptions? _current;

    public RejectingOptionsMonitor(
        IOptionsFactory<TOptions> factory, IEnumerable<IOptionsChangeTokenSource<TOptions>> sources, ILogger<RejectingOptionsMonitor<TOptions>> logger)
    {
        _factory = factory;
        _logger = logger;
        foreach (var source in sources)
        {
            _registrations.Add(ChangeToken.OnChange(source.GetChangeToken, Reload));
        }
    }

    /// <summary>
    /// The last valid value. Built on first read, not in the constructor, so that <c>ValidateOnStart</c> reports a bad
    /// start-up value together with every other section's (an invalid first value throws, as the framework's would).
    /// </summary>
    public TOptions CurrentValue
    {
        get
        {
            if (Volatile.Read(ref _current) is { } current)
            {
                return current;
            }

            var created = _factory.Create(Options.DefaultName);
            return Interlocked.CompareExchange(ref _current, created, null) ?? created;
        }
    }

    public TOptions Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<TOptions, string?> listener)
    {
        lock (_gate)
        {
            _listeners.Add(listener);
        }

        return new Unsubscribe(this, listener);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    void Reload()
    {
        TOptions next;
        try
        {
            next = _factory.Create(Options.DefaultName);
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                _logger.LogWarning("Configuration change rejected, the previous value stays: {Failure}", failure);
            }

            return;
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the value it could not convert.
            _logger.LogWarning("Configuration change rejected, the previous value stays: {Failure}", e.Message);
            return;
        }

        // Before the first read there is nothing to replace: the next read builds from the new configuration anyway.
        if (Volatile.Read(ref _current) is not { } previous)
        {
            return;
        }

        var changes = OptionsDiff.Describe(previous, next);
        if (changes.Count == 0)
        {
            return;
        }

        Volatile.Write(ref _current, next);
        _logger.LogInformation("Configuration change applied to {Options}: {Changes}", typeof(TOptions).Name, string.Join("; ", changes));
        Action<TOptions, string?>[] listeners;
        lock (_gate)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            try
            {
                listener(next, Options.DefaultName);
            }
            catch (Exception e)
            {
                // A listener's failure must not stop the others, nor escape into the file watcher's thread.
                _logger.LogError(e, "Applying a configuration change to {Options} failed", typeof(TOptions).Name);
            }
        }
    }

    sealed class Unsubscribe(RejectingOptionsMonitor<TOptions> owner, Action<TOptions, string?> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._listeners.Remove(listener);
            }
        }
    }
}
