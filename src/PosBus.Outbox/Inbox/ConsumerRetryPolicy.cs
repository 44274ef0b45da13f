using MassTransit;
using MassTransit.RetryPolicies;
using Microsoft.Extensions.Options;
using PosBus.Outbox.Configuration;

namespace PosBus.Outbox.Inbox;

/// <summary>
/// MassTransit's exponential retry for lane-local consumers, built from the current <see cref="PosBusOutboxOptions"/> each
/// time a message starts: <c>Outbox:ConsumerRetryLimit</c>, <c>ConsumerRetryInterval</c> and <c>ConsumerRetryMaxInterval</c>
/// retune without a restart. A cancellation (the host stopping) is never retried: the message is not finished.
/// </summary>
sealed class ConsumerRetryPolicy(IOptionsMonitor<PosBusOutboxOptions> options)
{
    static readonly IExceptionFilter AllButCancellation = new CancellationIgnored();

    public IRetryPolicy Current()
    {
        var o = options.CurrentValue;
        // MassTransit's exponential policy with a limit of 0 still waits (up to the longest interval) before it gives up.
        return o.ConsumerRetryLimit == 0 ? Retry.None : new ExponentialRetryPolicy(AllButCancellation, o.ConsumerRetryLimit, o.ConsumerRetryInterval, o.ConsumerRetryMaxInterval, o.ConsumerRetryInterval);
    }

    sealed class CancellationIgnored : IExceptionFilter
    {
        public void Probe(ProbeContext context) => context.Add("ignore", nameof(OperationCanceledException));

        public bool Match(Exception exception) => exception is not OperationCanceledException;
    }
}
