using Microsoft.Playwright;

namespace PosBus.EndToEnd.Tests.Operations;

/// <summary>
/// Debian's headless Chromium (<c>/usr/bin/chromium</c>, installed by <c>.ci/run</c>) driven by Playwright; Playwright's
/// own browser download is never used (the machines have no internet).
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: apt-get install chromium (.ci/run does it).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Without the networking flags Chromium keeps reaching for Google's hosts, which this closed network refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>Where screenshots are kept: <c>artifacts/screenshots</c> at the repository root (CI keeps <c>artifacts/</c>).</summary>
    public static string ScreenshotPath(string name)
    {
        var directory = Path.Combine(TerminalExecutable.RepositoryRoot, "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }
}
