using System.Collections.Concurrent;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>
/// A till's UI thread as WPF's dispatcher or WinForms' message loop is one: one thread, a SynchronizationContext that
/// runs continuations posted to it on that thread only, and nothing else. Code that blocks this thread on a task whose
/// continuation was posted back to it deadlocks, as it would in the till.
/// </summary>
public sealed class UiThread : IDisposable
{
    readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];
    readonly Thread _thread;

    public UiThread()
    {
        _thread = new Thread(Pump) { IsBackground = true, Name = "till UI thread" };
        _thread.Start();
    }

    /// <summary>Continuations posted to this thread's context (a library that resumes on the caller's context posts here).</summary>
    public int Posted => Volatile.Read(ref _posted);

    int _posted;

    /// <summary>Runs <paramref name="work"/> on the UI thread; the task ends with it, or faults with its exception.</summary>
    public Task RunAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((_ =>
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }, null));
        return done.Task;
    }

    void Pump()
    {
        SynchronizationContext.SetSynchronizationContext(new Context(this));
        foreach (var (callback, state) in _queue.GetConsumingEnumerable())
        {
            callback(state);
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _queue.Dispose();
    }

    sealed class Context(UiThread owner) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
            // Any thread may post (a library's continuation runs wherever its task completed).
            Interlocked.Increment(ref owner._posted);
            owner._queue.Add((d, state));
        }

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("a UI thread is never entered synchronously from elsewhere");

        public override SynchronizationContext CreateCopy() => this;
    }
}
