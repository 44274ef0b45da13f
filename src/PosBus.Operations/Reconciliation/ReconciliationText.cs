using System.Globalization;
using System.Text;

namespace PosBus.Operations.Reconciliation;

/// <summary>A <see cref="DayReconciliation"/> as a person reads it at a terminal.</summary>
public static class ReconciliationText
{
    public static string Of(DayReconciliation r)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"reconcile lane {r.TerminalId}, {r.Date:yyyy-MM-dd} (UTC): {(r.Matches ? "the lane and the cloud agree" : "THE LANE AND THE CLOUD DIFFER")}");
        text.AppendLine(c, $"  {"",-14} {"lane",20} {"cloud",20}");
        text.AppendLine(c, $"  {"sales",-14} {r.Lane.Sales,20} {r.Cloud.Sales,20}");
        text.AppendLine(c, $"  {"total (minor)",-14} {r.Lane.TotalMinor,20} {r.Cloud.TotalMinor,20}");
        foreach (var tender in r.Lane.ByTender.Keys.Union(r.Cloud.ByTender.Keys).Order(StringComparer.Ordinal))
        {
            text.AppendLine(c, $"  {tender,-14} {Tender(r.Lane, tender),20} {Tender(r.Cloud, tender),20}");
        }

        List("missing in the cloud", r.MissingInCloud, text);
        List("missing on the lane", r.MissingOnLane, text);
        List("different in the cloud", r.Different, text);
        return text.ToString().TrimEnd();
    }

    static string Tender(TenderTotals side, string tender) =>
        side.ByTender.TryGetValue(tender, out var t) ? string.Create(CultureInfo.InvariantCulture, $"{t.Count} × {t.AmountMinor}") : "–";

    static void List(string title, IReadOnlyList<ReconciledSale> sales, StringBuilder text)
    {
        if (sales.Count == 0)
        {
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {title} ({sales.Count}):");
        foreach (var s in sales)
        {
            var payments = string.Join(", ", s.Payments.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Tender} {p.AmountMinor}")));
            text.AppendLine(CultureInfo.InvariantCulture, $"    receipt {s.ReceiptNumber}  sale {s.SaleId}  {s.OccurredAt:yyyy-MM-dd HH:mm:ss}Z  total {s.TotalMinor}  {payments}");
        }
    }
}
