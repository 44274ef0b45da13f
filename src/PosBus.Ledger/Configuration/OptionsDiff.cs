using System.Globalization;

namespace PosBus.Ledger.Configuration;

/// <summary>What changed between two options objects, as "Name old → new", secrets left out.</summary>
static class OptionsDiff
{
    public static List<string> Describe<TOptions>(TOptions before, TOptions after)
    {
        var changes = new List<string>();
        foreach (var property in typeof(TOptions).GetProperties().Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            var old = Format(property.GetValue(before));
            var now = Format(property.GetValue(after));
            if (old == now)
            {
                continue;
            }

            // Service keys, store secrets and passwords are never written to a log, not even as "changed".
            var secret = property.Name.Contains("Key", StringComparison.Ordinal) || property.Name.Contains("Secret", StringComparison.Ordinal)
                || property.Name.Contains("Password", StringComparison.Ordinal);
            changes.Add(secret ? $"{property.Name} changed" : $"{property.Name} {old} → {now}");
        }

        return changes;
    }

    static string Format(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "(null)";
}
