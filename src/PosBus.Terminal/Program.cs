using PosBus.Terminal.Cli;

// One executable per lane; the verb says what to do (run, simulate, status, ...). See README.md.
return await LaneCli.RunAsync(args);
