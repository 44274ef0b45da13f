namespace PosBus.Terminal.Demo;

/// <summary>Finds the checkout the lane runs from (the folder holding PosBus.sln), for infra scripts.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PosBus.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find the PosBus checkout (a folder holding PosBus.sln) above the current directory.");
    }
}
