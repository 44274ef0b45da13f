namespace PosBus.TestSupport;

/// <summary>
/// The dll another project of the repository built, in the same configuration as the calling assembly (Release under
/// test.sh), so a test or the chaos runner starts it as ops and CI would: <c>dotnet &lt;dll&gt; …</c>.
/// </summary>
public static class BuildOutput
{
    public static string Dll(string projectDirectory, string assemblyName)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        var path = Path.Combine(LocalCloud.FindRepoRoot(), projectDirectory, "bin", configuration, "net10.0", assemblyName + ".dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build {projectDirectory} ({configuration}) first.");
    }

    /// <summary>The lane executable.</summary>
    public static string TerminalDll => Dll(Path.Combine("src", "PosBus.Terminal"), "PosBus.Terminal");
}
