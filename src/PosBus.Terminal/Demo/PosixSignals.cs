using System.Runtime.InteropServices;

namespace PosBus.Terminal.Demo;

/// <summary>SIGTERM for a child lane: .NET's Process.Kill only sends SIGKILL, which skips a clean stop.</summary>
public static class PosixSignals
{
    const int SigTerm = 15;

    public static bool Terminate(int processId) => NativeMethods.Kill(processId, SigTerm) == 0;

    static class NativeMethods
    {
        // DllImport rather than LibraryImport: two ints marshal as they are, and the project stays free of unsafe code.
#pragma warning disable SYSLIB1054
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
    }
}
