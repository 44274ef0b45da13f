using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PosBus.Ledger.Cloud;

/// <summary>
/// Reads a <see cref="CloudCandidate"/> from <c>CloudLedger</c>'s eight columns. Narrower and faster than a full
/// <see cref="LedgerRow"/>: the upload is the ledger's hottest read, and exact parsing of <see cref="LedgerTime"/>'s
/// fixed format costs a fraction of general date parsing.
/// </summary>
static class CloudCandidateReader
{
    const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static CloudCandidate Read(SqliteDataReader reader, bool replica) => new(
        reader.GetInt64(0),
        replica,
        Guid.Parse(reader.GetString(1)),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        Time(reader.GetString(5)),
        reader.IsDBNull(6) ? null : Time(reader.GetString(6)),
        reader.GetInt32(7));

    static DateTimeOffset Time(string text) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : LedgerTime.Parse(text);
}
