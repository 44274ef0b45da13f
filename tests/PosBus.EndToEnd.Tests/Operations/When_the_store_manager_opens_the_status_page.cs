using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PosBus.EndToEnd.Tests.Operations;

/// <summary>
/// The status page in real headless Chromium, at a phone's size, as the store manager sees it: the numbers move after
/// sales and after an upload without anyone reloading, and a message the cloud refused shows with its reason.
/// A screenshot is kept in <c>artifacts/screenshots/status-page.png</c>.
/// </summary>
public sealed class When_the_store_manager_opens_the_status_page
{
    static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 20_000 };

    [Fact]
    public async Task Counts_move_after_sales_and_a_dead_letter_shows_with_its_reason()
    {
        await using var lane = await CloudLane.StartAsync("P");
        var (playwright, browser) = await Chromium.LaunchAsync();
        using (playwright)
        await using (browser)
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
            await page.GotoAsync($"http://127.0.0.1:{lane.Port}/?refresh=1");

            await Expect(page.Locator("#title")).ToHaveTextAsync($"Lane {lane.TerminalId} · store store-1", Soon);
            await Expect(page.Locator("#count-pending")).ToHaveTextAsync("0", Soon);
            await Expect(page.Locator("#banner")).ToHaveTextAsync("All sales are in the cloud", Soon);
            await Expect(page.Locator("#oldest-unsent-sale")).ToHaveTextAsync("none", Soon);

            await lane.SimulateAsync(sales: 4, seed: 31);
            var waiting = (await lane.Http.StatusAsync())["counts"]!["pending"]!.GetValue<long>();
            Assert.True(waiting >= 8, $"4 sales make at least 8 messages; {waiting} pending");
            // The page was not reloaded: it refreshed itself.
            await Expect(page.Locator("#count-pending")).ToHaveTextAsync(waiting.ToString(System.Globalization.CultureInfo.InvariantCulture), Soon);
            await Expect(page.Locator("#oldest-unsent-sale")).ToHaveTextAsync(new Regex(@"^\d+ s$"), Soon);
            await Expect(page.Locator("#banner")).ToContainTextAsync("on their way to the cloud", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });

            var badId = await LedgerQueries.InsertInvalidSaleCopyAsync(lane.DatabasePath);
            var sync = await lane.RunAsync("sync-now", "--json");
            Assert.True(sync.ExitCode == 0, sync.StandardOutput + sync.StandardError);

            await Expect(page.Locator("#count-pending")).ToHaveTextAsync("0", Soon);
            await Expect(page.Locator("#count-cloud_ack")).ToHaveTextAsync(waiting.ToString(System.Globalization.CultureInfo.InvariantCulture), Soon);
            await Expect(page.Locator("#count-dead_letter")).ToHaveTextAsync("1", Soon);
            await Expect(page.Locator("#banner")).ToContainTextAsync("refused by the cloud", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
            var deadLetter = page.Locator("#dead-letters tr", new PageLocatorOptions { HasText = badId });
            await Expect(deadLetter).ToContainTextAsync("total", new LocatorAssertionsToContainTextOptions { Timeout = 20_000, IgnoreCase = true });
            await Expect(page.Locator("#cloud-last-sync")).ToContainTextAsync("ok", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });

            // A sale looked up by its receipt number: its journey on this lane, uploaded to the cloud.
            var receipt = await LedgerQueries.SecondReceiptNumberAsync(lane.DatabasePath);
            await page.FillAsync("#find-key", receipt);
            await page.ClickAsync("#find button");
            await Expect(page.Locator("#find-summary")).ToContainTextAsync("cloud_ack", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
            await Expect(page.Locator("#find-summary")).ToContainTextAsync("in the cloud since", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
            await Expect(page.Locator("#find-events")).ToContainTextAsync("committed", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });

            // Readable on a phone: nothing wider than the screen.
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"the page is {overflow} px wider than a 390 px screen");
            Assert.DoesNotContain(lane.Cloud.ServiceKey, await page.ContentAsync(), StringComparison.Ordinal);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("status-page.png"), FullPage = true });
        }
    }
}
