using PosBus.Chaos;

return await ChaosCommand.RunAsync(args);
