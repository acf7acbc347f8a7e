using Microsoft.DurableTask;

namespace Workflows.CrisisCare;

public sealed record CaseClosureStart(string CaseId, CloseRequest Request, string? EcssTeam, CaseTimings Timings);

/// <summary>
/// Closes a case whose own orchestration has ended (referred, or parked, before those waited for a close; or failed)
/// the way any case is closed: what it holds is let go, it is closed, and after a death the family is
/// signposted to bereavement support the next morning. One instance per case (<see cref="InstanceId"/>), so a close
/// sent twice closes it once.
/// </summary>
public static class CaseClosureWorkflow
{
    public const string Name = "CaseClosure";

    /// <summary>Registered from this file: the Durable Task analyzer reads the method only where AddOrchestratorFunc names it.</summary>
    public static readonly OrchestratorDefinition Definition = new(Name, r => r.AddOrchestratorFunc<CaseClosureStart, string>(Name, RunAsync));

    public static string InstanceId(string caseId) => $"{caseId}-closure";

    public static async Task<string> RunAsync(TaskOrchestrationContext context, CaseClosureStart start)
    {
        await CrisisCaseWorkflow.CloseStepsAsync(context, new CaseSteps(context, start.CaseId), start.Request, start.EcssTeam, start.Request.Notes,
            start.Timings.SignpostingDelay, WorkflowRetry.Steps(start.Timings));
        return CaseStatus.Closed;
    }
}
