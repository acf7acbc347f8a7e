using Workflows.DistrictDirect;

namespace Workflows.Reporting;

/// <summary>Reads the facts of a period: the days' facts (<see cref="ReportFacts"/>) and the fund of the year the period ends in.</summary>
public sealed class PilotReportSource(ReportFacts facts, FundLedger ledger)
{
    /// <summary>The cases whose call came in the period, and the District Direct referrals that arrived in it.</summary>
    public Task<(IReadOnlyList<CaseFacts> Cases, IReadOnlyList<DischargeFacts> Referrals)> FactsAsync(ReportPeriod period, CancellationToken ct = default) =>
        facts.PeriodAsync(period, ct);

    /// <summary>The fund of the financial year the period ends in, as it stood when the period ended (now, if it has not).</summary>
    public async Task<FundPosition?> FundAsync(ReportPeriod period, DateTimeOffset now, CancellationToken ct = default)
    {
        var year = FundYear.Of(period.To);
        if (await ledger.BalanceAsync(year, ct) is not { } fund) return null;
        return FundPosition.At(year, fund.TotalPence, await ledger.RequestsAsync(year, ct), period.End < now ? period.End : now);
    }
}
