using System.Diagnostics;

namespace PosBus.Reliability.Tests.Support;

/// <summary>
/// A size-limited tmpfs mounted for one test, and a filler file that takes all but a few KB of it: the disk fills when
/// the test says so and frees when the filler goes. Unmounted (lazily, in case a process still holds a file) at the end.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    SmallDisk(string path) => Path = path;

    public string Path { get; }

    string FillerPath => System.IO.Path.Combine(Path, "filler");

    public static SmallDisk Mount(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "posbus-small-disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        return new SmallDisk(path);
    }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Writes a file that leaves about <paramref name="leaveBytes"/> free.</summary>
    public void FillLeaving(long leaveBytes)
    {
        using var filler = new FileStream(FillerPath, FileMode.Create, FileAccess.Write);
        var chunk = new byte[64 * 1024];
        try
        {
            while (FreeBytes > leaveBytes)
            {
                filler.Write(chunk, 0, (int)Math.Min(chunk.Length, FreeBytes - leaveBytes));
                filler.Flush();
            }
        }
        catch (IOException)
        {
            // Someone else filled the last bytes first: full is what we wanted.
        }
    }

    public void Free() => File.Delete(FillerPath);

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed: {error}");
        }
    }
}
