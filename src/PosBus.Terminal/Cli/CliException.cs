namespace PosBus.Terminal.Cli;

/// <summary>The command line is wrong; the message says how.</summary>
public sealed class CliException(string message) : Exception(message);
