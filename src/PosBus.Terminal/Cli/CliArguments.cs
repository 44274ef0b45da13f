using System.Globalization;

namespace PosBus.Terminal.Cli;

/// <summary>The verb and its <c>--flag value</c> / <c>--switch</c> options, with errors that name the flag.</summary>
public sealed class CliArguments
{
    readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    readonly HashSet<string> _read = new(StringComparer.Ordinal);

    CliArguments(string verb, IReadOnlyList<string> positionals)
    {
        Verb = verb;
        Positionals = positionals;
    }

    public string Verb { get; }
    public IReadOnlyList<string> Positionals { get; }

    public static CliArguments Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            throw new CliException("Missing verb.");
        }

        var positionals = new List<string>();
        var parsed = new CliArguments(args[0], positionals);
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positionals.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parsed._options[arg[..equals]] = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                parsed._options[arg] = args[++i];
            }
            else
            {
                parsed._options[arg] = null;
            }
        }

        return parsed;
    }

    public bool Has(string flag)
    {
        _read.Add(flag);
        if (_options.TryGetValue(flag, out var value) && value is not null)
        {
            // A switch took the next word as its value: give it back as a positional.
            throw new CliException($"{flag} takes no value (got '{value}').");
        }

        return _options.ContainsKey(flag);
    }

    public string? Text(string flag)
    {
        _read.Add(flag);
        if (!_options.TryGetValue(flag, out var value))
        {
            return null;
        }

        return value ?? throw new CliException($"{flag} needs a value.");
    }

    public int WholeNumber(string flag, int fallback, int min, int max)
    {
        var text = Text(flag);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new CliException($"{flag} must be a whole number from {min} to {max}; got '{text}'.");
        }

        return value;
    }

    public double Number(string flag, double fallback, double min, double max)
    {
        var text = Text(flag);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new CliException($"{flag} must be a number from {min} to {max}; got '{text}'.");
        }

        return value;
    }

    /// <summary>Call after reading every known flag: an unknown one is a typo that must not pass silently.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new CliException($"Unknown option(s) for '{Verb}': {string.Join(", ", unknown)}.");
        }
    }
}
