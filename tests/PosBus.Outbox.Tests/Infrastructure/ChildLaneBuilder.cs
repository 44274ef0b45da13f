using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PosBus.Ledger.Sqlite;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>The host of a child-process lane on a database file: the file's options and a pooled <see cref="TestDbContext"/>; the caller adds MassTransit.</summary>
public static class ChildLaneBuilder
{
    public static HostApplicationBuilder For(string databaseFile)
    {
        var file = Path.GetFullPath(databaseFile);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.Configure<LaneDatabaseOptions>(o =>
        {
            o.DataDirectory = Path.GetDirectoryName(file)!;
            o.FileName = Path.GetFileName(file);
        });
        builder.Services.AddDbContextPool<TestDbContext>(o => o.UseSqlite(LaneConnectionStrings.For(file)));
        return builder;
    }
}
