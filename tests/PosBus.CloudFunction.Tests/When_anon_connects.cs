using Npgsql;
using PosBus.TestSupport;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

/// <summary>Supabase's public roles reach the tables through the Data API; without a store in their JWT they see nothing and write nothing (per-store reads: When_a_user_reads_through_row_level_security).</summary>
[Collection(CloudCollection.Name)]
public sealed class When_anon_connects(CloudFixture f)
{
    public static TheoryData<string> Tables => new(LocalCloud.Tables);

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task It_can_neither_read_nor_write_the_table(string table)
    {
        await f.SyncAsync(Batch("L1", Sale("L1"))); // there is something to see
        foreach (var role in new[] { "anon", "authenticated" })
        {
            Assert.Equal(0L, await RowsVisibleAsAsync(role, table));
            Assert.False(await CanWriteAsAsync(role, table), $"{role} could write {table}");
        }
    }

    [Fact]
    public async Task The_service_role_and_the_function_still_work()
    {
        var sale = Sale("L1");

        var results = await f.SyncAsync(Batch("L1", sale));

        Assert.Equal("inserted", Assert.Single(results).Status);
        await using var conn = await f.Cloud.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var role = new NpgsqlCommand("set local role service_role", conn, tx)) await role.ExecuteNonQueryAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from pos_messages where message_id = $1", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Id(sale) });
        Assert.Equal(1L, await cmd.ExecuteScalarAsync());
    }

    /// <summary>Rows the role can select; a permission error counts as none.</summary>
    async Task<long> RowsVisibleAsAsync(string role, string table)
    {
        await using var conn = await f.Cloud.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand($"set local role {role}; select count(*) from public.{table}", conn, tx);
        try
        {
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            return 0;
        }
    }

    async Task<bool> CanWriteAsAsync(string role, string table)
    {
        await using var conn = await f.Cloud.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        // Default values for every column would fail on NOT NULL; an update/delete of all rows needs no values.
        foreach (var sql in new[] { $"delete from public.{table}", $"update public.{table} set {FirstColumn(table)} = {FirstColumn(table)}" })
        {
            await using var sp = new NpgsqlCommand("savepoint s", conn, tx);
            await sp.ExecuteNonQueryAsync();
            await using var cmd = new NpgsqlCommand($"set local role {role}; {sql}", conn, tx);
            try
            {
                if (await cmd.ExecuteNonQueryAsync() > 0) return true;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                await using var back = new NpgsqlCommand("rollback to savepoint s", conn, tx);
                await back.ExecuteNonQueryAsync();
            }
        }
        await using var insert = new NpgsqlCommand($"set local role {role}; insert into public.{table} default values", conn, tx);
        try
        {
            await insert.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.NotNullViolation)
        {
            return e.SqlState == PostgresErrorCodes.NotNullViolation; // a NOT NULL error means the insert got past the grants
        }
        finally
        {
            await tx.RollbackAsync();
        }
    }

    static string FirstColumn(string table) => table switch
    {
        "transaction_lines" or "transaction_payments" or "transactions" => "sale_id",
        "inventory_levels" => "sku",
        "customers" => "customer_id",
        _ => "message_id",
    };
}
