using MassTransit;
using PosBus.Outbox.Configuration;

namespace PosBus.Operations;

/// <summary>
/// What <c>AddPosBus</c> registers, set inside its callback: the stages (from section <c>PosBus</c>, changed here in
/// code) and the app's own part of the MassTransit bus, which PosBus creates (one <c>AddMassTransit</c> per process, since
/// the outbox and the cloud stage's consumer must be registered in the same call as the app's consumers).
/// </summary>
public sealed class PosBusConfigurator
{
    internal PosBusConfigurator(PosBusOptions stages) => Stages = stages;

    /// <summary>The stages to register; starts from section <c>PosBus</c>.</summary>
    public PosBusOptions Stages { get; }

    /// <summary>
    /// Registers the bus with <c>AddMassTransitTestHarness</c> instead of <c>AddMassTransit</c> (tests: <c>ITestHarness</c>,
    /// whose <c>Consumed</c> shows what local delivery handed to the consumers).
    /// </summary>
    public bool UseMassTransitTestHarness { get; set; }

    internal Action<IBusRegistrationConfigurator>? Bus { get; private set; }

    internal Action<IBusRegistrationContext, IInMemoryBusFactoryConfigurator>? Transport { get; private set; }

    internal Action<PosBusOutboxOptions>? Outbox { get; private set; }

    /// <summary>
    /// The app's bus registrations, as inside <c>AddMassTransit</c>: <c>x.AddConsumer&lt;T, TDefinition&gt;()</c>, sagas, request
    /// clients. Consumers configured by <c>ConfigureEndpoints</c> get the committed ledger messages, behind the inbox.
    /// </summary>
    public PosBusConfigurator ConfigureBus(Action<IBusRegistrationConfigurator> configure)
    {
        Bus += configure;
        return this;
    }

    /// <summary>Settings of the in-memory transport, applied before PosBus calls <c>ConfigureEndpoints</c>.</summary>
    public PosBusConfigurator ConfigureTransport(Action<IBusRegistrationContext, IInMemoryBusFactoryConfigurator> configure)
    {
        Transport += configure;
        return this;
    }

    /// <summary>Outbox and local delivery settings, applied after section <c>Outbox</c> is bound.</summary>
    public PosBusConfigurator ConfigureOutbox(Action<PosBusOutboxOptions> configure)
    {
        Outbox += configure;
        return this;
    }
}
