using Microsoft.DurableTask.Client;
using Workflows.Ecss;

namespace Workflows.LocalHost;

public static class EcssRoutes
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/cases/{caseId}/visits", (HttpRequest r, string caseId, EcssEndpoints e, DurableTaskClient c) => e.RecordVisit(r, caseId, c));
        api.MapPost("/cases/{caseId}/check-ins", (HttpRequest r, string caseId, EcssEndpoints e, DurableTaskClient c) => e.RecordCheckIn(r, caseId, c));
        api.MapPost("/cases/{caseId}/package", (HttpRequest r, string caseId, EcssEndpoints e, DurableTaskClient c) => e.RecordPackage(r, caseId, c));
        api.MapGet("/ecss/roster/{date}/{kind}", (HttpRequest r, string date, string kind, EcssEndpoints e) => e.GetRoster(r, date, kind));
        api.MapPut("/ecss/roster/{date}/{kind}", (HttpRequest r, string date, string kind, EcssEndpoints e) => e.SetRoster(r, date, kind));
        api.MapGet("/ecss/my-cases", (HttpRequest r, HcaTodayEndpoints e) => e.MyCases(r));
        api.MapGet("/ecss/offers/{offerId}", (HttpRequest r, string offerId, OfferAnswerEndpoints e) => e.Offer(r, offerId));
        api.MapPost("/ecss/offers/{offerId}/answer", (HttpRequest r, string offerId, OfferAnswerEndpoints e, DurableTaskClient c) => e.Answer(r, offerId, c));
    }
}

/// <summary>
/// The local host's shift-change timer: checks every LocalHost:HandoverPollSeconds (0: off) whether a shift boundary has passed
/// without a handover, and hands over (the Functions app does the same on a 5-minute timer trigger).
/// </summary>
public sealed class ShiftHandoverTimer(ShiftHandover handover, DurableTaskClient client, IConfiguration config, ILogger<ShiftHandoverTimer> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = config.GetValue("LocalHost:HandoverPollSeconds", 60.0);
        if (seconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        do
        {
            try { await handover.HandOverIfDueAsync(client, stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Shift handover check failed; retrying at the next tick");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
