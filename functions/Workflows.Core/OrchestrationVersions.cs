using Microsoft.DurableTask;

namespace Workflows;

/// <summary>
/// The version of the orchestrator code. New instances start on <see cref="Current"/> (the local host's worker and
/// client, and host.json's durableTask.defaultVersion, which a test keeps equal); an instance replays the paths of the
/// version it started on, chosen with <see cref="IsAtLeast"/>, so a deploy never changes what a case in flight replays.
/// Instances started before versioning have no version ("") and take every path as it was then. A long-running ECSS
/// case moves to <see cref="Current"/> when it continues as new. How to change an orchestrator: docs/engineering.md.
/// </summary>
public static class OrchestrationVersions
{
    /// <summary>This code's version: the newest below.</summary>
    public const string Current = TriageWaitContinuesAsNew;

    /// <summary>
    /// 2.0: a bridged case's check-in clock runs from when the visit or check-in was reported, not from when the
    /// orchestration got to it (after an outage or a backlog, the older path starts the clock late).
    /// </summary>
    public const string CheckInClockFromReport = "2.0";

    /// <summary>
    /// 3.0: a case waiting for triage continues as new every <see cref="CrisisCare.CrisisCaseWorkflow.EscalationsPerExecution"/>
    /// escalations (with <see cref="CrisisCare.TriageWait"/>), so its history stops growing while nobody triages it.
    /// </summary>
    public const string TriageWaitContinuesAsNew = "3.0";

    /// <summary>
    /// Whether the instance started on <paramref name="version"/> or later, compared as the worker compares them
    /// (major.minor numbers; no version is older than any).
    /// </summary>
    public static bool IsAtLeast(TaskOrchestrationContext context, string version) => context.CompareVersionTo(version) >= 0;
}
