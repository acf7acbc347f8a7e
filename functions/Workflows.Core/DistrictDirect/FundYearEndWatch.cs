using Microsoft.Extensions.Logging;
using NodaTime;
using Workflows.Messaging;

namespace Workflows.DistrictDirect;

/// <summary>The current fund year ends soon and the next one is not open: from the day after, every approval is refused.</summary>
public sealed record FundYearEndNotice(string Year, LocalDate EndsOn, string NextYear, int DaysLeft)
{
    /// <summary>The notice in words, as the District Direct page shows it.</summary>
    public string Words =>
        $"The {Year} fund ends on {Date(EndsOn)} ({(DaysLeft == 0 ? "today" : DaysLeft == 1 ? "tomorrow" : $"in {DaysLeft} days")}) and no {NextYear} fund is open. " +
        $"From {Date(EndsOn.PlusDays(1))} every approval will be refused until a District Direct manager opens the {NextYear} fund.";

    private static string Date(LocalDate d) => d.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
}

/// <summary>
/// Watches for the end of the fund year (hazard: an approval with no fund year): within <see cref="WarningDays"/> days
/// of 31 March with the next year not open, the District Direct page says so, and each District Direct manager is
/// texted once per year. The text's id names the year and the manager, so the send path sends it once however often
/// the check runs and across restarts; it is a staff alert, sent whatever the phone replied and however late SMS is
/// configured. Both hosts run <see cref="CheckAsync"/> on a timer (the Functions app daily, the local host hourly).
/// </summary>
public sealed class FundYearEndWatch(FundLedger ledger, DistrictDirectRegister register, ISmsSender sms, TimeProvider time, ILogger<FundYearEndWatch> log)
{
    public const int WarningDays = 30;

    public sealed record Report(FundYearEndNotice? Notice, IReadOnlyList<string> ManagersTexted);

    /// <summary>The notice when the current year ends within <see cref="WarningDays"/> days and the next is not open; else null.</summary>
    public async Task<FundYearEndNotice?> NoticeAsync(CancellationToken ct = default)
    {
        var today = WorkingDay.DateOf(time.GetUtcNow());
        if (DaysToYearEnd(today) is not { } daysLeft) return null;
        var year = FundYear.Of(today);
        var next = FundYear.Next(year);
        return await ledger.BalanceAsync(next, ct) is null ? new FundYearEndNotice(year, FundYear.EndsOn(year), next, daysLeft) : null;
    }

    /// <summary>The days from <paramref name="today"/> (a UK date) to 31 March when they are <see cref="WarningDays"/> or fewer; else null.</summary>
    public static int? DaysToYearEnd(LocalDate today)
    {
        var left = Period.Between(today, FundYear.EndsOn(FundYear.Of(today)), PeriodUnits.Days).Days;
        return left <= WarningDays ? left : null;
    }

    public async Task<Report> CheckAsync(CancellationToken ct = default)
    {
        if (await NoticeAsync(ct) is not { } notice) return new(null, []);
        var texted = new List<string>();
        foreach (var manager in (await register.OfficersAsync(ct)).Where(o => o.IsManager))
        {
            var text = SmsTemplates.ManagerFundYearEnding(manager.Name, FundYear.StartYear(notice.Year), notice.DaysLeft);
            var result = await sms.SendAsync(new SmsMessage($"fund-year-end-{notice.Year}-{manager.Id}", manager.Phone, text, FundLedger.AuditEntity(notice.Year),
                SmsAudience.Staff, SafetyAlert: true), ct);
            if (result.Sent) texted.Add(manager.Id);
        }
        log.LogWarning("The {Year} fund ends on {EndsOn} and {NextYear} is not open; {Count} District Direct manager(s) have been texted",
            notice.Year, notice.EndsOn, notice.NextYear, texted.Count);
        return new(notice, texted);
    }
}
