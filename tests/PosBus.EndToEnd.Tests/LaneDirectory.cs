namespace PosBus.EndToEnd.Tests;

/// <summary>A fresh data directory for one lane of one test, removed afterwards (database, WAL and logs).</summary>
public sealed class LaneDirectory : IDisposable
{
    public LaneDirectory(string terminalId = "L1")
    {
        TerminalId = terminalId;
        Port = PosBus.TestSupport.FreePort.Next();
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "posbus-e2e", $"{terminalId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string TerminalId { get; }

    /// <summary>The lane's own port, so no test talks to another test's lane (or a lane running on this machine).</summary>
    public int Port { get; }

    /// <summary>The shared secret every lane of the tests' store uses.</summary>
    public const string StoreSecret = "e2e-store-secret-0123456789";
    public string Path { get; }
    public string DatabasePath => System.IO.Path.Combine(Path, "posbus.db");

    /// <summary>The environment a lane process of this directory gets (no peers, no cloud unless added).</summary>
    public Dictionary<string, string> Environment() => new()
    {
        ["TERMINAL_ID"] = TerminalId,
        ["POSBUS_DATA_DIR"] = Path,
        ["POSBUS_CONFIG_DIR"] = Path,
        ["TERMINAL_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["STORE_SECRET"] = StoreSecret,
        ["PEER_TERMINALS"] = "",
        ["SUPABASE_URL"] = "",
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A lane process may still be closing its log; the temp folder is cleaned by the OS later.
        }
    }
}
