using PosBus.CloudSync.Tests.Support;

namespace PosBus.CloudSync.Tests;

/// <summary>
/// Entry point used only when a test starts this assembly as a child lane (<c>dotnet PosBus.CloudSync.Tests.dll lane-child …</c>);
/// the test runner never calls it.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args) =>
        args is ["lane-child", var databasePath, var url] ? await LaneChild.RunAsync(databasePath, url) : 2;
}
