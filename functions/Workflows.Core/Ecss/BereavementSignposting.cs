using Microsoft.DurableTask;
using NodaTime;
using Workflows.CrisisCare;

namespace Workflows.Ecss;

/// <summary>When a bereaved family is first texted about support: never in the small hours.</summary>
public static class BereavementSignposting
{
    public static readonly LocalTime SendAt = new(9, 0);

    /// <summary>A death recorded before this (local time) is still "last night": the message goes at 09:00 that day.</summary>
    public static readonly LocalTime NightEnds = new(6, 0);

    /// <summary>
    /// The next morning at 09:00 Europe/London: the same day for a death recorded in the night (before 06:00),
    /// otherwise the following day. 09:00 exists on every day of the year, so BST changes never move it.
    /// </summary>
    public static DateTimeOffset NextMorning(DateTimeOffset closedAt)
    {
        var local = Instant.FromDateTimeOffset(closedAt).InZone(Shift.UkTime).LocalDateTime;
        var day = local.TimeOfDay < NightEnds ? local.Date : local.Date.PlusDays(1);
        return (day + SendAt).InZoneLeniently(Shift.UkTime).ToDateTimeOffset();
    }

    /// <summary>
    /// When each follow-up after a death goes: a period with days, weeks or months at 09:00 UK time on that day after the
    /// death's UK date (never in the small hours); one of hours or minutes only (tests, demos) that long after the death.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> FollowUpTimes(DateTimeOffset diedAt, IEnumerable<Period> periods)
    {
        var died = Instant.FromDateTimeOffset(diedAt);
        var day = died.InZone(Shift.UkTime).Date;
        return periods.Select(p => p.HasDateComponent
            ? (day.PlusYears(p.Years).PlusMonths(p.Months).PlusWeeks(p.Weeks).PlusDays(p.Days) + SendAt).InZoneLeniently(Shift.UkTime).ToDateTimeOffset()
            : (died + p.ToDuration()).ToDateTimeOffset()).ToList();
    }

    /// <summary>When to signpost after a case closes: only after a death, at <see cref="NextMorning"/> unless a delay is set.</summary>
    public static DateTimeOffset? SendTime(CloseRequest request, DateTimeOffset now, TimeSpan? delay) =>
        request.Reason != "died" ? null : delay is { } d ? now + d : NextMorning(request.At);

    /// <summary>The orchestration step after a closed case: wait on a durable timer for the humane hour, then text once.</summary>
    public static async Task FollowUpAsync(TaskOrchestrationContext context, CaseSteps step, DateTimeOffset? sendAt, TaskOptions retry)
    {
        if (sendAt is not { } at) return;
        if (at.UtcDateTime > context.CurrentUtcDateTime) await context.CreateTimer(at.UtcDateTime, CancellationToken.None);
        await context.CallActivityAsync<bool>(EcssActivities.SignpostBereavement, step.Next(), retry);
    }
}
