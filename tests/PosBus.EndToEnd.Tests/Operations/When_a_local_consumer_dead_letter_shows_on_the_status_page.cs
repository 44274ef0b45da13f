using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using static Microsoft.Playwright.Assertions;

namespace PosBus.EndToEnd.Tests.Operations;

/// <summary>
/// The status page in headless Chromium while a lane-local consumer has a dead letter: the red banner, and the consumer
/// with its count under "Failed in this lane's consumers"; both clear once the dead letter is gone.
/// </summary>
public sealed class When_a_local_consumer_dead_letter_shows_on_the_status_page
{
    static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 20_000 };

    [Fact]
    public async Task The_banner_turns_red_and_the_consumer_is_listed_with_its_count()
    {
        await using var lane = await CloudLane.StartAsync("D");
        var (playwright, browser) = await Chromium.LaunchAsync();
        using (playwright)
        await using (browser)
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
            await page.GotoAsync($"http://127.0.0.1:{lane.Port}/?refresh=1");
            await Expect(page.Locator("#local-dead-letters")).ToHaveTextAsync("none", Soon);

            var store = new ConsumerDeadLetterStore(new LaneDatabase(Options.Create(new LaneDatabaseOptions
            {
                DataDirectory = Path.GetDirectoryName(lane.DatabasePath)!, FileName = Path.GetFileName(lane.DatabasePath),
            })));
            var messageId = Guid.NewGuid();
            await store.RecordAsync(new ConsumerDeadLetter
            {
                Consumer = "MyTill.StockConsumer", MessageId = messageId, MessageType = "urn:message:PosBus.Contracts:InventoryAdjusted",
                ExceptionType = "System.InvalidOperationException", ExceptionMessage = "no stock record", Attempts = 6, FailedAt = DateTimeOffset.UtcNow,
            });

            await Expect(page.Locator("#banner")).ToHaveTextAsync("1 message(s) failed in a local consumer: see below", Soon);
            await Expect(page.Locator("#local-dead-letters tr")).ToHaveTextAsync("MyTill.StockConsumer1", Soon);

            await store.ResolveAsync("MyTill.StockConsumer", messageId);
            await Expect(page.Locator("#local-dead-letters")).ToHaveTextAsync("none", Soon);
            await Expect(page.Locator("#banner")).Not.ToContainTextAsync("failed in a local consumer", new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
        }
    }
}
