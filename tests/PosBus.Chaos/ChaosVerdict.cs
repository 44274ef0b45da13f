using System.Globalization;
using Microsoft.Data.Sqlite;
using PosBus.Terminal.Demo;

namespace PosBus.Chaos;

/// <summary>
/// The ledger check at the end, with the lanes stopped. Lost: a committed sale not in Postgres. Duplicated: a
/// committed sale with more than one message or transaction row in Postgres. Stuck: a lane's own ledger row not in
/// cloud_ack. Also every lane's database must pass <c>PRAGMA integrity_check</c>.
/// </summary>
public sealed record ChaosVerdict(int Kills, int Outages, int Sales, int Lost, int Duplicated, long Stuck, IReadOnlyList<string> Findings)
{
    public bool Passed => Lost == 0 && Duplicated == 0 && Stuck == 0 && Sales > 0 && Findings.Count == 0;

    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"kills={Kills} outages={Outages} sales={Sales} lost={Lost} duplicated={Duplicated} stuck={Stuck}");

    public static async Task<ChaosVerdict> ReachAsync(
        IReadOnlyList<ChaosLane> lanes, CommittedSales sales, string cloudDatabaseUrl, ChaosMonkey monkey, CancellationToken cancellationToken)
    {
        var findings = new List<string>();
        long stuck = 0;
        foreach (var lane in lanes)
        {
            await using var connection = new SqliteConnection($"Data Source={lane.DatabasePath};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync(cancellationToken);
            var notAcked = await ScalarAsync(connection, "SELECT COUNT(*) FROM outbox WHERE status <> 'cloud_ack'", cancellationToken);
            stuck += Convert.ToInt64(notAcked, CultureInfo.InvariantCulture);
            var integrity = (string)(await ScalarAsync(connection, "PRAGMA integrity_check", cancellationToken))!;
            if (integrity != "ok")
            {
                findings.Add($"lane {lane.TerminalId}: integrity_check says {integrity}");
            }
        }

        if (monkey.Crashes > 0)
        {
            findings.Add($"{monkey.Crashes} lane or writer processes exited without being killed (see run.log / writer.log)");
        }

        var cloud = await new CloudVerifier(cloudDatabaseUrl).VerifyAsync(sales.Ids, cancellationToken);
        findings.AddRange(cloud.Missing.Take(10).Select(id => $"lost sale {id}"));
        findings.AddRange(cloud.Duplicated.Take(10).Select(id => $"duplicated sale {id}"));
        return new ChaosVerdict(monkey.Kills, monkey.Outages, cloud.Committed, cloud.Missing.Count, cloud.Duplicated.Count, stuck, findings);
    }

    static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
