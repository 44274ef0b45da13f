using System.Globalization;
using System.Runtime.InteropServices;

namespace PosBus.Terminal.Hosting;

/// <summary>
/// Linux scheduling niceness of this process's threads. On Linux niceness belongs to a thread, not the process, and a
/// new thread inherits its creator's: lowering every thread once (and once more for threads born meanwhile) lowers all
/// that the process will ever run. Lowering needs no privilege; raising it back would, so this only ever lowers.
/// </summary>
internal static class ThreadNice
{
    const int PrioProcess = 0;

    /// <summary>Lowers every thread of this process to <paramref name="nice"/>; returns how many threads changed.</summary>
    public static int LowerAll(int nice)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        var changed = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var threadId) &&
                Of(task) is { } current && current < nice && setpriority(PrioProcess, threadId, nice) == 0)
            {
                changed++;
            }
        }

        return changed;
    }

    /// <summary>
    /// The nice value of the thread whose /proc folder is <paramref name="taskDirectory"/> (<c>/proc/&lt;pid&gt;/task/&lt;tid&gt;</c>),
    /// or null when it has exited. Read from /proc: getpriority's -1 is ambiguous.
    /// </summary>
    public static int? Of(string taskDirectory)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(taskDirectory, "stat"));
            // Fields after the command name (which may hold spaces) start at ")": nice is the 19th field overall.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[16], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    // DllImport, not LibraryImport: the generated stub would need unsafe code enabled for this one blittable call.
    [DllImport("libc")]
    static extern int setpriority(int which, int who, int priority);
}
