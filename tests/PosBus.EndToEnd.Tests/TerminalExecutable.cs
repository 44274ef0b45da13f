namespace PosBus.EndToEnd.Tests;

/// <summary>
/// The lane executable as ops run it: the Terminal project's own build output, in the same configuration
/// as this test assembly (so appsettings.json and the runtime config sit beside it).
/// </summary>
public static class TerminalExecutable
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string DllPath { get; } = FindDll();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PosBus.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PosBus.sln not found above the test assembly.");
    }

    static string FindDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        var path = Path.Combine(RepositoryRoot, "src", "PosBus.Terminal", "bin", configuration, "net10.0", "PosBus.Terminal.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"Build src/PosBus.Terminal ({configuration}) first: {path} is missing.");
    }
}
