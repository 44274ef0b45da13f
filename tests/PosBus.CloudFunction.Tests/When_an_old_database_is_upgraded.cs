using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using PosBus.TestSupport;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

/// <summary>
/// The chain migration on a database that ran the first one for a while: in a fresh database of the local Postgres,
/// the old schema gets rows from the old ingest (one batch without a store, one with), then the new migration runs the
/// way the README says (psql, posbus.default_store_id in PGOPTIONS), and every row has its store.
/// </summary>
[Collection(CloudCollection.Name)]
public sealed class When_an_old_database_is_upgraded(CloudFixture f)
{
    const string Old = "20261125000000_posbus_schema.sql";
    const string Chain = "20261201000000_chain_of_stores.sql";

    [Fact]
    public async Task Rows_take_their_message_s_store_or_the_default_and_the_new_keys_hold()
    {
        await using var db = await ScratchDatabase.CreateAsync(f.Cloud);
        await db.ApplyAsync(Old);
        var sku = "SKU-UP";
        await db.OldIngestAsync(null, Sale("L1", sku: sku), Inventory("L1", sku, -3), Customer("L1", "C-9", "Old", DateTimeOffset.UtcNow));
        await db.OldIngestAsync("store-x", Inventory("L2", sku, -4), Sale("L2"));
        await db.ExecuteAsync($"update inventory_levels set quantity = quantity + 100 where sku = '{sku}'"); // a count set by hand

        await db.ApplyAsync(Chain, defaultStore: "store-1");

        foreach (var table in LocalCloud.Tables)
        {
            Assert.Equal(0L, await db.ScalarAsync<long>($"select count(*) from {table} where store_id is null"));
            Assert.Equal("NO", await db.ScalarAsync<string>($"select is_nullable from information_schema.columns where table_name = '{table}' and column_name = 'store_id'"));
        }

        Assert.Equal("store-1,store-x", await db.ScalarAsync<string>("select string_agg(distinct store_id, ',' order by store_id) from pos_messages"));
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from transaction_lines l join transactions t using (sale_id) where l.store_id <> t.store_id"));
        Assert.Equal(97L, await db.ScalarAsync<long>($"select quantity from inventory_levels where store_id = 'store-1' and sku = '{sku}'"));
        Assert.Equal(-4L, await db.ScalarAsync<long>($"select quantity from inventory_levels where store_id = 'store-x' and sku = '{sku}'"));
        Assert.Equal("store-1", await db.ScalarAsync<string>("select store_id from customers where customer_id = 'C-9'"));
        Assert.Equal("store_id, sku", await db.ScalarAsync<string>("select string_agg(a.attname, ', ' order by k.ord) from pg_index i cross join unnest(i.indkey) with ordinality k(att, ord) join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.att where i.indrelid = 'inventory_levels'::regclass and i.indisprimary"));

        // The upgraded database takes new batches with the store on every row.
        await db.ExecuteAsync($"select posbus_private.ingest_batch('L1', 'store-1', '{Rows(Inventory("L1", sku, -1))}'::jsonb)");
        Assert.Equal(96L, await db.ScalarAsync<long>($"select quantity from inventory_levels where store_id = 'store-1' and sku = '{sku}'"));
    }

    [Fact]
    public async Task Without_the_default_store_it_stops_naming_the_setting_and_changes_nothing()
    {
        await using var db = await ScratchDatabase.CreateAsync(f.Cloud);
        await db.ApplyAsync(Old);
        await db.OldIngestAsync(null, Sale("L1"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.ApplyAsync(Chain));

        Assert.Contains("posbus.default_store_id", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from information_schema.tables where table_name = 'store_keys'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from pos_messages where store_id is null"));
    }

    [Fact]
    public async Task An_empty_database_needs_no_default_store()
    {
        await using var db = await ScratchDatabase.CreateAsync(f.Cloud);
        await db.ApplyAsync(Old);

        await db.ApplyAsync(Chain);

        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from information_schema.tables where table_name = 'store_keys'"));
    }

    /// <summary>The old ingest's input rows (snake_case) for messages in the wire shape.</summary>
    static string Rows(params JsonObject[] messages) => new JsonArray(messages.Select(m => (JsonNode)new JsonObject
    {
        ["message_id"] = m["messageId"]!.GetValue<string>(),
        ["terminal_id"] = Data(m)["terminalId"]!.GetValue<string>(),
        ["topic"] = m["topic"]!.GetValue<string>(),
        ["created_at"] = m["timestamp"]!.GetValue<string>(),
        ["peer_acked_at"] = null,
        ["data"] = Data(m).DeepClone(),
    }).ToArray()).ToJsonString().Replace("'", "''", StringComparison.Ordinal);

    /// <summary>A database of its own in the local Postgres, with Supabase's roles, dropped afterwards.</summary>
    sealed class ScratchDatabase : IAsyncDisposable
    {
        readonly LocalCloud _cloud;
        readonly string _name = $"posbus_upgrade_{Guid.NewGuid():N}"[..28];

        ScratchDatabase(LocalCloud cloud) => _cloud = cloud;

        string Uri => new UriBuilder(_cloud.DbUri) { Path = "/" + _name }.Uri.ToString();

        public static async Task<ScratchDatabase> CreateAsync(LocalCloud cloud)
        {
            var db = new ScratchDatabase(cloud);
            await using var conn = await cloud.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database {db._name}", conn);
            await cmd.ExecuteNonQueryAsync();
            await db.PsqlAsync(Path.Combine(cloud.ScriptsDir, "supabase-roles.sql"), null);
            return db;
        }

        public Task ApplyAsync(string migration, string? defaultStore = null) =>
            PsqlAsync(Path.Combine(_cloud.RepoRoot, "infra", "supabase", "migrations", migration), defaultStore);

        public Task OldIngestAsync(string? store, params JsonObject[] messages) =>
            ExecuteAsync($"select posbus_private.ingest_batch('L1', {(store is null ? "null" : $"'{store}'")}, '{Rows(messages)}'::jsonb)");

        public async Task ExecuteAsync(string sql) => await ScalarAsync<object>(sql);

        public async Task<T?> ScalarAsync<T>(string sql)
        {
            await using var conn = new NpgsqlConnection(LocalCloud.ToNpgsql(Uri));
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, conn);
            var value = await cmd.ExecuteScalarAsync();
            return value is null or DBNull ? default : (T)value;
        }

        /// <summary>Applies a file in one transaction, as up.sh and the Supabase CLI do; throws with psql's output on error.</summary>
        async Task PsqlAsync(string file, string? defaultStore)
        {
            var psi = new ProcessStartInfo("psql", [Uri, "-v", "ON_ERROR_STOP=1", "-q", "--single-transaction", "-f", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.Environment["PGOPTIONS"] = "-c client_min_messages=warning" + (defaultStore is null ? "" : $" -c posbus.default_store_id={defaultStore}");
            using var process = Process.Start(psi)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidOperationException($"psql -f {Path.GetFileName(file)}: {error}{await output}");
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = await _cloud.OpenAsync();
            await using var cmd = new NpgsqlCommand($"drop database if exists {_name} with (force)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
