using MassTransit;
using MassTransit.RetryPolicies;
using Microsoft.Extensions.Options;

namespace PosBus.CloudSync.Consumers;

/// <summary>
/// MassTransit's exponential retry, with its limit and intervals read from the current <see cref="CloudSyncOptions"/>
/// each time a message starts failing: <c>MaxRetries</c>, <c>BackoffBaseMs</c> and <c>BackoffMaxMs</c> retune without a
/// restart (an endpoint's own policy is fixed when the bus starts).
/// </summary>
sealed class LiveExponentialRetryPolicy(IExceptionFilter filter, IOptionsMonitor<CloudSyncOptions> options) : IRetryPolicy
{
    public RetryPolicyContext<T> CreatePolicyContext<T>(T context) where T : class, PipeContext => Current().CreatePolicyContext(context);

    public bool IsHandled(Exception exception) => Current().IsHandled(exception);

    public void Probe(ProbeContext context) => Current().Probe(context);

    // IRetryPolicy, not the concrete type (CA1859): ExponentialRetryPolicy implements its members explicitly.
#pragma warning disable CA1859
    IRetryPolicy Current()
#pragma warning restore CA1859
    {
        var o = options.CurrentValue;
        var baseInterval = TimeSpan.FromMilliseconds(o.BackoffBaseMs);
        return new ExponentialRetryPolicy(filter, o.MaxRetries, baseInterval, TimeSpan.FromMilliseconds(o.BackoffMaxMs), baseInterval);
    }
}
