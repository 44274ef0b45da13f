namespace PosBus.Reliability.Tests.Support;

/// <summary>A fact that needs root (it mounts a filesystem); skipped with that reason otherwise. CI runs as root.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Skip = "needs root on Linux to mount a size-limited tmpfs";
        }
    }
}
