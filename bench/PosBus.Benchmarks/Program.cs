using PosBus.Benchmarks;
using PosBus.Benchmarks.Outbox;

// One scenario per class; `dotnet run -c Release --project bench/PosBus.Benchmarks -- <scenario> [options]`.
// Each scenario measures its own baseline in the same run and ends with one `RESULT <scenario> ...` line.
return args.FirstOrDefault() switch
{
    "outbox" => await OutboxScenario.RunAsync(args[1..]),
    "peer" => await PeerScenario.RunAsync(args[1..]),
    "cloud" => await CloudScenario.RunAsync(args[1..]),
    "stores" => await StoresScenario.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: PosBus.Benchmarks <scenario> [options]   scenarios: outbox, peer, cloud, stores");
    return 2;
}
