namespace PosBus.Terminal.Configuration;

/// <summary>Reads a <c>.env</c> file: KEY=VALUE lines, '#' comments, optional quotes, optional 'export '.</summary>
public static class DotEnvFile
{
    public static IReadOnlyList<KeyValuePair<string, string?>> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var values = new List<KeyValuePair<string, string?>>();
        var lineNumber = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"{path}:{lineNumber}: expected KEY=VALUE.");
            }

            values.Add(new(line[..equals].Trim(), Unquote(StripComment(line[(equals + 1)..].Trim()))));
        }

        return values;
    }

    static string StripComment(string value)
    {
        if (value.StartsWith('"') || value.StartsWith('\''))
        {
            return value;
        }

        // The seed's .env has trailing comments after the value ("L1   # Unique terminal identifier").
        var hash = value.IndexOf(" #", StringComparison.Ordinal);
        return hash >= 0 ? value[..hash].TrimEnd() : value;
    }

    static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
