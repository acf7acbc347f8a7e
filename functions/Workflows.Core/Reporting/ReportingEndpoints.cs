using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Workflows.Community;
using Workflows.Http;

namespace Workflows.Reporting;

/// <summary>The reporting routes, served the same by the Functions app and the local host.</summary>
public sealed class ReportingEndpoints(PilotReportSource source, VolunteerRegister volunteers, TimeProvider time)
{
    /// <summary>GET /api/reports/pilot?from=&amp;to=: the pilot's measures; <c>Accept: text/csv</c> gives the same numbers as CSV.</summary>
    public async Task<IResult> Pilot(HttpRequest request)
    {
        if (StaffPrincipal.Require(request, Roles.Reporting).Problem is { } denied) return denied;
        var now = time.GetUtcNow();
        var (period, errors) = ReportPeriod.Parse(request.Query["from"], request.Query["to"], now);
        if (period is null) return Problems.Validation(errors, "Give 'from' and 'to' as dates (yyyy-MM-dd), 'from' first.");

        var ct = request.HttpContext.RequestAborted;
        var (cases, referrals) = await source.FactsAsync(period, ct);
        var fund = await source.FundAsync(period, now, ct);
        var report = PilotReportBuilder.Build(period, cases, referrals, fund, now);
        var (activeVolunteers, activeOrganisations) = await volunteers.ActiveOnAsync(Min(period.To.ToDateOnly(), volunteers.Today), ct);
        report = report with { Community = report.Community with { ActiveVolunteers = activeVolunteers, ActiveOrganisations = activeOrganisations } };

        if (WantsCsv(request))
            return Results.File(Encoding.UTF8.GetBytes(PilotReportTable.Csv(report)), "text/csv; charset=utf-8",
                $"pilot-report-{report.From}-to-{report.To}.csv");
        // The measures at the top, and the same numbers as the table the page and the CSV show.
        var body = JsonSerializer.SerializeToNode(report, Json.Options)!.AsObject();
        body["rows"] = JsonSerializer.SerializeToNode(PilotReportTable.Rows(report), Json.Options);
        return Results.Json(body, Json.Options);
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static bool WantsCsv(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted) &&
        accepted.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
}
