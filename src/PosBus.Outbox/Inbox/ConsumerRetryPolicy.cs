using MassTransit;
using MassTransit.RetryPolicies;
using Microsoft.Extensions.Options;
using PosBus.Outbox.Configuration;

namespace PosBus.Outbox.Inbox;

/// <summary>
/// MassTransit's exponential retry for lane-local consumers, built from the current <see cref="PosBusOutboxOptions"/> each
/// time a message starts: <c>Outbox:ConsumerRetryLimit</c>, <c>ConsumerRetryInterval</c> and <c>ConsumerRetryMaxInterval</c>
/// retune without a restart. Every exception counts (<see cref="ConsumerAttempts"/> leaves the host stopping out).
/// </summary>
sealed class ConsumerRetryPolicy(IOptionsMonitor<PosBusOutboxOptions> options)
{
    static readonly IExceptionFilter AllExceptions = new Everything();

    public IRetryPolicy Current()
    {
        var o = options.CurrentValue;
        // MassTransit's exponential policy with a limit of 0 still waits (up to the longest interval) before it gives up.
        return o.ConsumerRetryLimit == 0 ? Retry.None : new ExponentialRetryPolicy(AllExceptions, o.ConsumerRetryLimit, o.ConsumerRetryInterval, o.ConsumerRetryMaxInterval, o.ConsumerRetryInterval);
    }

    sealed class Everything : IExceptionFilter
    {
        public void Probe(ProbeContext context) => context.Add("handle", "all");

        public bool Match(Exception exception) => true;
    }
}
