namespace PosBus.TestSupport;

/// <summary>What the suites ask a lane's ledger about its own sales, now that the lane has no sales table of its own.</summary>
public static class SaleLedgerSql
{
    /// <summary>The sale ids of the own <c>SaleCompleted</c> messages (topic <c>transaction</c>).</summary>
    public const string SaleIds = "SELECT json_extract(body, '$.saleId') FROM outbox WHERE topic = 'transaction'";

    /// <summary>
    /// Sales not committed whole: a sale id on more or fewer than one sale message, or whose stock adjustments (one per
    /// line, published in the same save) are not all there. 0 when every save was atomic.
    /// </summary>
    public const string SalesNotCommittedWhole = """
        WITH sales AS (
               SELECT lower(json_extract(body, '$.saleId')) AS id, COUNT(*) AS copies, MAX(json_array_length(body, '$.lines')) AS lines
               FROM outbox WHERE topic = 'transaction' GROUP BY 1),
             adjustments AS (
               SELECT lower(json_extract(body, '$.saleId')) AS id, COUNT(*) AS n FROM outbox WHERE topic = 'inventory' GROUP BY 1)
        SELECT (SELECT COUNT(*) FROM sales s LEFT JOIN adjustments a ON a.id = s.id WHERE s.copies <> 1 OR COALESCE(a.n, 0) <> s.lines)
             + (SELECT COUNT(*) FROM adjustments a WHERE NOT EXISTS (SELECT 1 FROM sales s WHERE s.id = a.id))
        """;
}
