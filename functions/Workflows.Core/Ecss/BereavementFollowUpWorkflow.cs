using Microsoft.DurableTask;
using Workflows.CrisisCare;

namespace Workflows.Ecss;

/// <summary>When to follow up a bereaved family, fixed when the death is recorded so a settings change never alters a replay.</summary>
public sealed record BereavementFollowUpStart(string CaseId, IReadOnlyList<DateTimeOffset> SendAt, CaseTimings Timings);

/// <summary>The <see cref="Number"/>th follow-up of <see cref="Of"/>.</summary>
public sealed record FollowUpStep(CaseStep Step, int Number, int Of);

/// <summary>
/// After a death, the family's consented contacts are texted again at set times (by default 2 weeks, 3 months, 6 months
/// and 13 months: <see cref="EcssSettings.BereavementFollowUps"/>), each offering the directory's bereavement support, on
/// durable timers that survive restarts. One instance per case (<see cref="InstanceId"/>), started when a close as died
/// is recorded, so a close sent twice follows up once. A new orchestration, not a step of the case's: cases in flight
/// replay unchanged.
/// </summary>
public static class BereavementFollowUpWorkflow
{
    public const string Name = "BereavementFollowUp";

    /// <summary>Registered from this file: the Durable Task analyzer reads the method only where AddOrchestratorFunc names it.</summary>
    public static readonly OrchestratorDefinition Definition = new(Name, r => r.AddOrchestratorFunc<BereavementFollowUpStart, int>(Name, RunAsync));

    public static string InstanceId(string caseId) => $"{caseId}-bereavement";

    /// <summary>Returns how many follow-ups ran; stops early when the case turns out not to have closed as a death.</summary>
    public static async Task<int> RunAsync(TaskOrchestrationContext context, BereavementFollowUpStart start)
    {
        var step = new CaseSteps(context, start.CaseId);
        var retry = WorkflowRetry.Steps(start.Timings);
        for (var i = 0; i < start.SendAt.Count; i++)
        {
            var at = start.SendAt[i].UtcDateTime;
            // The worker splits a timer longer than its maximum interval (days) into several: months are safe.
            if (at > context.CurrentUtcDateTime) await context.CreateTimer(at, CancellationToken.None);
            try
            {
                var number = i + 1;
                if (!await context.CallActivityAsync<bool>(EcssActivities.FollowUpBereaved,
                        new FollowUpStep(step.For($"follow-up-{number}"), number, start.SendAt.Count), retry))
                    return i;
            }
            catch (TaskFailedException)
            {
                // One follow-up that could not be sent after its retries does not cancel the months still to come.
            }
        }
        return start.SendAt.Count;
    }
}
