using PosBus.Ledger.Sqlite;

namespace PosBus.PeerSync.Tests.Fixtures;

/// <summary>What assertions need from a lane, in-process or not: its id and its database file.</summary>
public interface IPeerLaneFiles
{
    string TerminalId { get; }

    LaneDatabase Database { get; }
}
