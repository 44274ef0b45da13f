using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PosBus.Ledger.Tests;

/// <summary>
/// The architecture rule of issue 14: a column or a state changes in one project. Every statement over the ledger
/// tables and every state name as a literal lives in src/PosBus.Ledger; peer sync and cloud sync reach the ledger
/// through it, not through the MassTransit + EF Core adapter.
/// </summary>
public sealed partial class When_the_source_is_checked_for_ledger_access
{
    static readonly string Root = RepositoryRoot();

    [Fact]
    public void No_statement_outside_the_ledger_project_names_a_ledger_table() =>
        AssertNoneOutsideLedger(LedgerSql(), "SQL over a ledger table");

    [Fact]
    public void No_state_name_is_written_as_a_literal_outside_the_ledger_project() =>
        AssertNoneOutsideLedger(StateLiteral(), "a ledger state name as a literal (use LedgerStatus)");

    [Theory]
    [InlineData("PosBus.PeerSync")]
    [InlineData("PosBus.CloudSync")]
    public void A_sync_stage_references_the_ledger_not_the_outbox_adapter(string project)
    {
        var csproj = XDocument.Load(Path.Combine(Root, "src", project, project + ".csproj"));
        var projects = csproj.Descendants("ProjectReference").Select(e => Path.GetFileNameWithoutExtension(((string)e.Attribute("Include")!).Replace('\\', '/'))).ToList();
        var packages = csproj.Descendants("PackageReference").Select(e => (string)e.Attribute("Include")!).ToList();

        Assert.Contains("PosBus.Ledger", projects);
        Assert.DoesNotContain("PosBus.Outbox", projects);
        Assert.DoesNotContain(packages, p => p.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.OrdinalIgnoreCase));
        if (project == "PosBus.PeerSync")
        {
            Assert.DoesNotContain(packages, p => p.StartsWith("MassTransit", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void The_checks_see_the_ledger_project_itself()
    {
        // Guards the scan: were the ledger project's files not found (a moved root, a wrong filter), both rules would
        // pass on nothing. Its own statements and state names must match the same patterns.
        var ledger = SourceFiles().Where(IsInLedger).Select(File.ReadAllText).ToList();
        Assert.Contains(ledger, LedgerSql().IsMatch);
        Assert.Contains(ledger, StateLiteral().IsMatch);
    }

    static void AssertNoneOutsideLedger(Regex pattern, string what)
    {
        var offences = SourceFiles()
            .Where(f => !IsInLedger(f))
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(x => pattern.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(Root, x.file)}:{x.number}: {x.line.Trim()}")
            .ToList();
        Assert.True(offences.Count == 0, $"{what} outside src/PosBus.Ledger:\n{string.Join('\n', offences)}");
    }

    static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    static bool IsInLedger(string file) =>
        file.StartsWith(Path.Combine(Root, "src", "PosBus.Ledger") + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PosBus.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"PosBus.sln not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"(from|into|update|join|table)\s+(outbox|replica|inbox|delivery_checkpoint|peer_ack_mark|lane_state)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LedgerSql();

    [GeneratedRegex("""["'](pending|peer_ack|cloud_ack|dead_letter)["']""")]
    private static partial Regex StateLiteral();
}
