namespace PosBus.Operations.Reconciliation;

/// <summary>
/// The lane's sales of a day set against the cloud's: count and total per tender on each side, the sales only one side
/// holds, and the sales both hold with a different total or payments. <see cref="Matches"/> only when nothing differs.
/// </summary>
public sealed record DayReconciliation
{
    public required string TerminalId { get; init; }
    public required DateOnly Date { get; init; }
    public required TenderTotals Lane { get; init; }
    public required TenderTotals Cloud { get; init; }
    public required IReadOnlyList<ReconciledSale> MissingInCloud { get; init; }
    public required IReadOnlyList<ReconciledSale> MissingOnLane { get; init; }
    public required IReadOnlyList<ReconciledSale> Different { get; init; }

    public bool Matches => MissingInCloud.Count == 0 && MissingOnLane.Count == 0 && Different.Count == 0;

    public static DayReconciliation Compare(string terminalId, DateOnly date, IReadOnlyList<ReconciledSale> lane, IReadOnlyList<ReconciledSale> cloud)
    {
        var cloudById = cloud.ToDictionary(s => s.SaleId);
        var laneIds = lane.Select(s => s.SaleId).ToHashSet();
        return new DayReconciliation
        {
            TerminalId = terminalId,
            Date = date,
            Lane = TenderTotals.Of(lane),
            Cloud = TenderTotals.Of(cloud),
            MissingInCloud = lane.Where(s => !cloudById.ContainsKey(s.SaleId)).ToList(),
            MissingOnLane = cloud.Where(s => !laneIds.Contains(s.SaleId)).ToList(),
            Different = lane.Where(s => cloudById.TryGetValue(s.SaleId, out var c) && !s.SameAs(c)).ToList(),
        };
    }
}

/// <summary>One side's day: sales and their total, and per tender how many payments and how much.</summary>
public sealed record TenderTotals(int Sales, long TotalMinor, IReadOnlyDictionary<string, TenderTotal> ByTender)
{
    public static TenderTotals Of(IReadOnlyList<ReconciledSale> sales) => new(
        sales.Count,
        sales.Sum(s => s.TotalMinor),
        sales.SelectMany(s => s.Payments).GroupBy(p => p.Tender, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new TenderTotal(g.Count(), g.Sum(p => p.AmountMinor)), StringComparer.Ordinal));
}

/// <summary>Payments of one tender: how many and their sum in minor units.</summary>
public sealed record TenderTotal(int Count, long AmountMinor);
