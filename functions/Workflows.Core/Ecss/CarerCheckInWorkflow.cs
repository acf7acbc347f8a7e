using Microsoft.DurableTask;
using NodaTime;
using Workflows.CrisisCare;
using Workflows.Messaging;

namespace Workflows.Ecss;

/// <summary>
/// When carers are asked how they are coping, fixed when the case goes to ECSS so a settings change never alters a replay.
/// <see cref="DaytimeFrom"/> to <see cref="DaytimeTo"/> (UK time of day) are the hours a check-in may go; absent (cases
/// started before they were set) any time, as those cases' histories recorded.
/// </summary>
public sealed record CarerCheckInTimings(TimeSpan First, TimeSpan Every, TimeSpan AfterCare, TimeSpan ReplyWindow,
    TimeSpan? DaytimeFrom = null, TimeSpan? DaytimeTo = null)
{
    /// <summary><paramref name="at"/> if it falls in the daytime hours (or there are none), else the next start of them.</summary>
    public DateTimeOffset InDaytime(DateTimeOffset at)
    {
        if (DaytimeFrom is not { } from || DaytimeTo is not { } to) return at;
        var local = Instant.FromDateTimeOffset(at).InZone(Shift.UkTime).LocalDateTime;
        var (start, end) = (LocalTime.FromTicksSinceMidnight(from.Ticks), LocalTime.FromTicksSinceMidnight(to.Ticks));
        if (local.TimeOfDay >= start && local.TimeOfDay < end) return at;
        var day = local.TimeOfDay < start ? local.Date : local.Date.PlusDays(1);
        return (day + start).InZoneLeniently(Shift.UkTime).ToDateTimeOffset();
    }
}

/// <summary>
/// One execution of a case's carer check-ins: <see cref="Asked"/> check-ins so far, the last at <see cref="LastAskedAt"/>,
/// and whether the one after care is in place has gone. Carried across continue-as-new.
/// </summary>
public sealed record CarerCheckInStart(string CaseId, CarerCheckInTimings CheckIns, CaseTimings Timings, int Asked = 0,
    DateTimeOffset? LastAskedAt = null, bool AskedAfterCare = false);

/// <summary>What the check-ins need to know of the case when they wake.</summary>
public sealed record CarerCaseState(string Status, DateTimeOffset? BridgingSince, string? CloseReason, DateTimeOffset? ClosedAt);

public sealed record CarerAskStep(CaseStep Step, int Number, DateTimeOffset ExpiresAt);

public sealed record CarerReplyStep(CaseStep Step, int Number, string? Answer, string? Code = null);

/// <summary>
/// A carer's wellbeing check-ins (issue 21): a consented family contact of an ECSS case is texted, relative to the case,
/// to reply how they are coping from 1 (struggling) to 5 (coping well): <see cref="CarerCheckInTimings.First"/> into
/// bridging, every <see cref="CarerCheckInTimings.Every"/> while it lasts, and once <see cref="CarerCheckInTimings.AfterCare"/>
/// after care is in place. A reply of 1 or 2, or HELP, texts the coordinator at once with the case. Replies come by the
/// existing inbound route as answers to a reply code. A new orchestration beside the case's (started when the ANP sends
/// the case to ECSS, one per case): cases in flight replay unchanged. Each wake continues as new, so a long bridge keeps
/// a short history.
/// </summary>
public static class CarerCheckInWorkflow
{
    public const string Name = "CarerCheckIn";
    public const string ReplyEvent = "CarerReply";

    /// <summary>Registered from this file: the Durable Task analyzer reads the method only where AddOrchestratorFunc names it.</summary>
    public static readonly OrchestratorDefinition Definition = new(Name, r => r.AddOrchestratorFunc<CarerCheckInStart, int>(Name, RunAsync));

    public static string InstanceId(string caseId) => $"{caseId}-carer-check-ins";

    /// <summary>The answers that reach the coordinator at once.</summary>
    public static readonly string[] Distress = ["1", "2", SmsAnswers.Help];

    public static async Task<int> RunAsync(TaskOrchestrationContext context, CarerCheckInStart start)
    {
        var retry = WorkflowRetry.Steps(start.Timings);
        var step = new CaseSteps(context, start.CaseId);
        var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        var state = await context.CallActivityAsync<CarerCaseState>(EcssActivities.ReadCarerCase, start.CaseId, retry);
        var next = Next(state, start, now);
        if (next is null) return start.Asked;
        if (next.Value.At > now)
        {
            await context.CreateTimer(next.Value.At.UtcDateTime, CancellationToken.None);
            // The case may have moved on while this waited (care in place, a death): decide again on waking.
            context.ContinueAsNew(start);
            return start.Asked;
        }

        var number = start.Asked + 1;
        var ask = step.For($"carer-check-in-{number}");
        var reply = context.WaitForExternalEvent<SmsReply>(ReplyEvent);
        var code = await context.CallActivityAsync<string?>(EcssActivities.AskCarer,
            new CarerAskStep(ask, number, ask.At + start.CheckIns.ReplyWindow), retry);
        string? answer = null;
        if (code is not null)
        {
            using var cancel = new CancellationTokenSource();
            var timeout = context.CreateTimer(ask.At.UtcDateTime + start.CheckIns.ReplyWindow, cancel.Token);
            if (await Task.WhenAny(reply, timeout) == reply)
            {
                cancel.Cancel();
                answer = (await reply).Answer.ToUpperInvariant();
            }
            await context.CallActivityAsync<bool>(EcssActivities.RecordCarerReply,
                new CarerReplyStep(step.For($"carer-check-in-{number}-reply"), number, answer, code), retry);
        }
        context.ContinueAsNew(start with
        {
            Asked = number, LastAskedAt = ask.At,
            AskedAfterCare = start.AskedAfterCare || next.Value.AfterCare,
        });
        return number;
    }

    /// <summary>
    /// The next check-in and when, or null when there are no more (the case closed other than by care in place, or the
    /// one after care has gone). Before bridging starts there is none yet: look again after an eighth of the first interval.
    /// </summary>
    private static readonly TimeSpan MinimumPoll = TimeSpan.FromSeconds(5);

    public static (DateTimeOffset At, bool AfterCare)? Next(CarerCaseState s, CarerCheckInStart start, DateTimeOffset now)
    {
        var t = start.CheckIns;
        // Each text in the daytime hours the case started with (none for cases started before them: their replay is unchanged).
        if (s.Status == CaseStatus.Closed)
            return s.CloseReason == "package" && !start.AskedAfterCare && s.ClosedAt is { } closed ? (t.InDaytime(closed + t.AfterCare), true) : null;
        if (s.Status == CaseStatus.Bridging && s.BridgingSince is { } since)
            return (t.InDaytime(start.LastAskedAt is { } last ? last + t.Every : since + t.First), false);
        return (now + (t.First / 8 > MinimumPoll ? t.First / 8 : MinimumPoll), false);
    }
}
