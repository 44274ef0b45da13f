using System.Text.Json.Nodes;
using Npgsql;
using PosBus.TestSupport;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

/// <summary>
/// Row level security as Supabase applies it to a Data API request: role <c>authenticated</c> (or <c>anon</c>) with the
/// JWT's claims in <c>request.jwt.claims</c>. A user reads the rows of the store in app_metadata.store_id, a chain admin
/// (app_metadata.chain_admin) reads every store, user_metadata counts for nothing, anon reads nothing, nobody writes.
/// </summary>
[Collection(CloudCollection.Name)]
public sealed class When_a_user_reads_through_row_level_security(CloudFixture f) : IAsyncLifetime
{
    readonly string _a = NewStoreId("rls-a");
    readonly string _b = NewStoreId("rls-b");

    public static TheoryData<string> Tables => new(LocalCloud.Tables);

    public async Task InitializeAsync()
    {
        foreach (var store in new[] { _a, _b })
        {
            // Every table gets rows of both stores: a sale (transactions, lines, payments), stock, a customer.
            await f.SyncAsync(StoreBatch(store, "L1", Sale("L1"), Inventory("L1", "SKU-RLS", -1), Customer("L1", "C-RLS", "Cy", DateTimeOffset.UtcNow)));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task A_store_user_sees_its_own_store_only(string table)
    {
        var (mine, others) = await CountAsync("authenticated", Claims(new JsonObject { ["store_id"] = _a }), table);
        Assert.True(mine > 0, $"store {_a} sees none of its rows of {table}");
        Assert.Equal(0, others);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task A_chain_admin_sees_every_store(string table)
    {
        var (a, _) = await CountAsync("authenticated", Claims(new JsonObject { ["chain_admin"] = true }), table);
        var (b, _) = await CountAsync("authenticated", Claims(new JsonObject { ["chain_admin"] = true }), table, _b);
        Assert.True(a > 0 && b > 0, $"chain admin sees {a} rows of {_a} and {b} of {_b} in {table}");
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task User_metadata_and_anon_see_nothing(string table)
    {
        var selfMade = new JsonObject { ["role"] = "authenticated", ["app_metadata"] = new JsonObject(), ["user_metadata"] = new JsonObject { ["store_id"] = _a } };
        Assert.Equal((0L, 0L), await CountAsync("authenticated", selfMade.ToJsonString(), table));
        Assert.Equal((0L, 0L), await CountAsync("anon", Claims(new JsonObject { ["store_id"] = _a }), table));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task Nobody_but_the_function_writes(string table)
    {
        foreach (var role in new[] { "authenticated", "anon", "service_role" })
        {
            foreach (var sql in new[] { $"delete from public.{table} where store_id = '{_a}'", $"update public.{table} set store_id = store_id", $"insert into public.{table} (store_id) values ('{_a}')" })
            {
                var error = await Assert.ThrowsAsync<PostgresException>(() => RunAsAsync(role, Claims(new JsonObject { ["store_id"] = _a, ["chain_admin"] = true }), sql));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
            }
        }
    }

    static string Claims(JsonObject appMetadata) => new JsonObject
    {
        ["sub"] = Guid.NewGuid().ToString(), ["role"] = "authenticated", ["app_metadata"] = appMetadata,
    }.ToJsonString();

    /// <summary>Rows of store <paramref name="store"/> (default A) and rows of any other store the role can see; a permission error counts as none.</summary>
    async Task<(long Mine, long Others)> CountAsync(string role, string claims, string table, string? store = null)
    {
        var sql = $"select count(*) filter (where store_id = '{store ?? _a}'), count(*) filter (where store_id <> '{store ?? _a}') from public.{table}";
        try
        {
            return await RunAsAsync(role, claims, sql, async reader =>
            {
                await reader.ReadAsync();
                return (reader.GetInt64(0), reader.GetInt64(1));
            });
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && role == "anon")
        {
            return (0, 0);
        }
    }

    Task<int> RunAsAsync(string role, string claims, string sql) => RunAsAsync(role, claims, sql, _ => Task.FromResult(0));

    /// <summary>What PostgREST does per request: a transaction, SET LOCAL ROLE, the claims as a local setting.</summary>
    async Task<T> RunAsAsync<T>(string role, string claims, string sql, Func<NpgsqlDataReader, Task<T>> read)
    {
        await using var conn = await f.Cloud.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var setup = new NpgsqlCommand("select set_config('request.jwt.claims', $1, true)", conn, tx))
        {
            setup.Parameters.Add(new NpgsqlParameter { Value = claims });
            await setup.ExecuteNonQueryAsync();
        }

        await using (var setRole = new NpgsqlCommand($"set local role {role}", conn, tx))
        {
            await setRole.ExecuteNonQueryAsync();
        }

        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await using var reader = await cmd.ExecuteReaderAsync();
        var result = await read(reader);
        await reader.DisposeAsync();
        await tx.RollbackAsync();
        return result;
    }
}
