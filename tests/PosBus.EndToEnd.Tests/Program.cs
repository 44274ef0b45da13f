using PosBus.EndToEnd.Tests.ConsumerApp;

namespace PosBus.EndToEnd.Tests;

/// <summary>
/// Entry point used only when a test starts this assembly as a POS app's process on a lane database
/// (<c>dotnet PosBus.EndToEnd.Tests.dll consumer-app &lt;data-dir&gt; &lt;terminal-id&gt;</c>); the test runner never calls it.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args) =>
        args is ["consumer-app", var dataDirectory, var terminalId] ? await StockApp.RunAsync(dataDirectory, terminalId) : 2;
}
