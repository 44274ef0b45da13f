using PosBus.Operations;
using PosBus.Sample.Till;
using PosBus.Sample.Till.Domain;

// A till's host: its own DbContext on the lane database, PosBus's stages from configuration (section PosBus), and the
// store-stock consumer as a lane-local consumer. See README.md.
// appsettings.json is read beside the app, wherever it is started from; data/ is made in the current directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddDbContextPool<PosDbContext>((services, options) => options.UsePosBusSqlite(services));
builder.Services.AddTill();
builder.Services.AddPosBus<PosDbContext>(builder.Configuration, posbus => posbus.AddTillConsumers());

var app = builder.Build();
await TillDatabase.PrepareAsync(app.Services);
app.MapPosBus();
app.MapTill();
await app.RunAsync();

// Visible to the till's tests (WebApplicationFactory-style access to the entry point's assembly).
public partial class Program;
