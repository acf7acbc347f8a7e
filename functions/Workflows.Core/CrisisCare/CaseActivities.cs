using Workflows.Storage;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Workflows.CareDirectory;
using Workflows.Http;
using Workflows.Messaging;
using Workflows.Operations;

namespace Workflows.CrisisCare;

/// <summary>Where a case was referred, and whether that service was open when it was.</summary>
public sealed record ServiceReferral(string? ServiceId, string? ServiceName, ReferralRoute? Route, bool OpenAtReferral,
    DateTimeOffset? OpensAt, string Need);

/// <summary>The effects of a crisis case: each writes the case row and its timeline, and is safe to run twice.</summary>
public sealed class CaseActivities(CaseStore cases, CaseTimeline timeline, ServiceDirectory directory, ISmsSender sms, CrisisCareSettings settings,
    Bars.BarsResponses bars, ILogger<CaseActivities> log)
{
    public const string OpenCase = nameof(OpenCase);
    public const string EscalateTriage = nameof(EscalateTriage);
    public const string RecordTriage = nameof(RecordTriage);
    public const string CloseCase = nameof(CloseCase);
    public const string ReferToService = nameof(ReferToService);
    public const string AwaitHca = nameof(AwaitHca);
    public const string ParkCase = nameof(ParkCase);
    public const string ResumeCase = nameof(ResumeCase);

    public async Task<bool> OpenCaseAsync(CaseStep step)
    {
        var c = await cases.GetAsync(step.CaseId);
        await Log(step, "case-opened", "NHS 111", $"Palliative call from the {c.CallerRole} ({c.CallId}); waiting for SPOC triage.");
        return true;
    }

    public async Task<bool> EscalateTriageAsync(EscalationStep e)
    {
        await cases.UpdateAsync(e.Step.CaseId, c => c.Escalations = e.Count);
        var told = "";
        if (!e.TellCoordinator)
            told = $" Not texted: after {CrisisCaseWorkflow.EscalationsTextedEachTime} escalations the coordinator is texted about a case at most hourly.";
        else if (settings.CoordinatorPhone is { } phone)
        {
            var sent = (await sms.SendAsync(new SmsMessage($"{e.Step.CaseId}-triage-overdue-{e.Count}", phone,
                SmsTemplates.CoordinatorTriageOverdue(ShortId(e.Step.CaseId), e.MinutesWaited), e.Step.CaseId, SmsAudience.Staff, SafetyAlert: true))).ThrowIfRetryable();
            told = sent.Sent ? " The coordinator has been sent an SMS." : $" The SMS to the coordinator was not sent ({sent.Error}).";
        }
        await Log(e.Step, "triage-overdue", "system", $"Waiting {e.MinutesWaited} min for triage, past the response target (escalation {e.Count}).{told}");
        return true;
    }

    public async Task<bool> RecordTriageAsync(TriageStep t)
    {
        var d = t.Decision;
        var to = d.ServiceId is not null ? $" Service: {d.ServiceId}." : d.Needs.Count > 0 ? $" Needs: {string.Join(", ", d.Needs)}." : "";
        var matters = WhatMattersSummary(d.PreferredPlaceOfDeath, d.CarePlan);
        await Log(t.Step, "triaged", d.ByName, $"Triaged by the ANP: {d.Outcome}.{to} {d.Notes}".TrimEnd() + matters);
        await bars.AskAsync(t.Step.CaseId, Bars.BarsResponses.Triaged);
        return true;
    }

    public async Task<bool> CloseCaseAsync(CloseStep c)
    {
        var place = c.Reason == CloseRequest.Died ? c.PlaceOfDeath : null;
        var where = place is null ? "" : $" Place of death: {place}.";
        // The story first, the status last: whoever reads a case as closed reads how it closed too.
        await Log(c.Step, "closed", c.By, $"Case closed ({c.Reason}).{where} {c.Summary}".TrimEnd());
        await cases.UpdateAsync(c.Step.CaseId, x => (x.Status, x.CloseReason, x.ClosedAt, x.PlaceOfDeath) = (CaseStatus.Closed, c.Reason, c.Step.At, place));
        await bars.AskAsync(c.Step.CaseId, Bars.BarsResponses.Closed);
        return true;
    }

    public async Task<ServiceReferral> ReferToServiceAsync(ReferStep r)
    {
        var referral = await ChooseServiceAsync(r.ServiceId, r.Needs, r.Step.At);
        await cases.UpdateAsync(r.Step.CaseId, c => (c.Status, c.ReferralJson) = (CaseStatus.Referred, JsonSerializer.Serialize(referral, Json.Options)));
        var summary = referral switch
        {
            { ServiceName: null } => $"No service in the directory meets '{referral.Need}'; the ANP must arrange care directly.",
            { OpenAtReferral: true } => $"Referred to {referral.ServiceName} by {referral.Route!.Method}: {referral.Route.Contact}.",
            _ => $"Referred to {referral.ServiceName} by {referral.Route!.Method}: {referral.Route.Contact}; closed now, opens {referral.OpensAt:yyyy-MM-dd HH:mm} UTC.",
        };
        await Log(r.Step, "referred", r.By, summary);
        return referral;
    }

    /// <summary>Parks a case whose step kept failing: flagged on the case and in the triage queue, and the coordinator texted.</summary>
    public async Task<bool> ParkCaseAsync(ParkStep p)
    {
        var caseId = p.Step.CaseId;
        var reason = $"{p.FailedStep} kept failing: {(p.Error.Length > 300 ? p.Error[..300] : p.Error)}";
        await cases.UpdateAsync(caseId, c => (c.Status, c.AttentionReason, c.AttentionAt) = (CaseStatus.NeedsAttention, reason, p.Step.At));
        log.LogError(AlertEvents.CaseNeedsAttention, "Case {CaseId} needs attention: step {Step} kept failing", caseId, p.FailedStep);
        var told = " No coordinator phone is set: check the triage queue.";
        if (settings.CoordinatorPhone is { } phone)
        {
            // Never fails the parking: the flag is already where staff look, and SMS may be what is down.
            try
            {
                var sent = await sms.SendAsync(new SmsMessage($"{caseId}-needs-attention-{p.Step.StepId}", phone,
                    SmsTemplates.CoordinatorCaseNeedsAttention(ShortId(caseId)), caseId, SmsAudience.Staff, SafetyAlert: true));
                told = sent.Sent ? " The coordinator has been sent an SMS." : $" The SMS to the coordinator could not be sent ({sent.Error}).";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                told = $" The SMS to the coordinator could not be sent ({e.GetType().Name}).";
            }
        }
        await Log(p.Step, "needs-attention", "system", $"Parked for a person to take over. {reason}.{told}");
        return true;
    }

    /// <summary>
    /// A person sent a parked case on: it carries on where it was (<paramref name="r"/>.Status). Sent back to wait for
    /// triage, a triage the case never heard (its raise failed and was not retried) is cleared, so an ANP can decide again.
    /// </summary>
    public async Task<bool> ResumeCaseAsync(ResumeStep r)
    {
        await cases.UpdateAsync(r.Step.CaseId, c =>
        {
            (c.Status, c.AttentionReason, c.AttentionAt) = (r.Status, null, null);
            if (r.Status == CaseStatus.AwaitingTriage)
                (c.TriageOutcome, c.TriageNotes, c.TriagedBy, c.TriagedAt, c.TriageReportId) = (null, null, null, null, null);
        });
        var where = r.Status switch
        {
            CaseStatus.AwaitingTriage => "waiting for triage again",
            CaseStatus.Triaged => "carrying out the ANP's decision",
            CaseStatus.AwaitingHca => "finding an HCA again",
            _ => "bridging on with its HCA",
        };
        await Log(r.Step, "resumed", r.Request.ByName, $"Taken over and resumed: {where}. {r.Request.Notes}".TrimEnd());
        return true;
    }

    public async Task<bool> AwaitHcaAsync(CaseStep step)
    {
        await cases.UpdateAsync(step.CaseId, c => c.Status = CaseStatus.AwaitingHca);
        await Log(step, "ecss-referred", "system", "Referred to the Emergency Carer Support Service: finding an on-call HCA.");
        return true;
    }

    /// <summary>The named service, else the first service open now for a need, else the one that opens soonest.</summary>
    private async Task<ServiceReferral> ChooseServiceAsync(string? serviceId, IReadOnlyList<string> needs, DateTimeOffset at)
    {
        var holidays = await directory.BankHolidaysAsync();
        var instant = NodaTime.Instant.FromDateTimeOffset(at);
        if (serviceId is not null && await directory.FindAsync(serviceId) is { } named)
            return Referral(named, needs.FirstOrDefault() ?? named.Needs.FirstOrDefault() ?? "", instant, holidays);
        var all = await directory.AllAsync();
        foreach (var need in needs)
        {
            var open = all.Where(s => s.Needs.Contains(need) && s.OpenUntil(instant, holidays) is not null)
                .OrderBy(s => s.AlwaysOpen).ThenBy(s => s.Name).FirstOrDefault();
            if (open is not null) return Referral(open, need, instant, holidays);
        }
        var soonest = needs.SelectMany(n => all.Where(s => s.Needs.Contains(n)).Select(s => (s, n, next: s.NextOpening(instant, holidays))))
            .Where(x => x.next is not null).OrderBy(x => x.next).FirstOrDefault();
        return soonest.s is null
            ? new ServiceReferral(null, null, null, false, null, string.Join(", ", needs))
            : Referral(soonest.s, soonest.n, instant, holidays);
    }

    private static ServiceReferral Referral(CareService s, string need, NodaTime.Instant at, IReadOnlySet<NodaTime.LocalDate> holidays)
    {
        var open = s.OpenUntil(at, holidays) is not null;
        return new ServiceReferral(s.Id, s.Name, s.Referral, open, open ? null : s.NextOpening(at, holidays)?.ToDateTimeOffset(), need);
    }

    /// <summary>What matters to the patient as the timeline says it after the decision; empty when nothing was recorded.</summary>
    private static string WhatMattersSummary(string? preferredPlace, EndOfLifeCarePlan? plan)
    {
        var parts = new[] { preferredPlace is null ? "" : $"preferred place of death: {preferredPlace}", plan?.Summary() ?? "" }
            .Where(p => p.Length > 0).ToList();
        return parts.Count == 0 ? "" : $" What matters: {string.Join("; ", parts)}.";
    }

    private Task Log(CaseStep step, string kind, string actor, string summary) =>
        timeline.AppendAsync(new TimelineEntry(step.CaseId, step.StepId, step.At, kind, actor, summary));

    /// <summary>The part of a case id staff can read out on the phone.</summary>
    public static string ShortId(string caseId) => caseId.Replace("case-", "")[..6].ToUpperInvariant();
}
