using Microsoft.Data.Sqlite;

namespace PosBus.TestSupport;

/// <summary>A fresh directory holding one SQLite file for one test; the file and its -wal/-shm go away after.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase(string fileName = "lane.db")
    {
        DirectoryPath = Path.Combine(Path.GetTempPath(), "posbus-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DirectoryPath);
        FileName = fileName;
    }

    public string DirectoryPath { get; }

    public string FileName { get; }

    public string FilePath => Path.Combine(DirectoryPath, FileName);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            TryDelete(FilePath + suffix);
        }

        try
        {
            Directory.Delete(DirectoryPath, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a handle for a moment; the OS temp cleaner gets the rest.
        }
    }

    static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
