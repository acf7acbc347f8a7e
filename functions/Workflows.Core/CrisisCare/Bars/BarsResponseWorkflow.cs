using Microsoft.DurableTask;

namespace Workflows.CrisisCare.Bars;

/// <summary>Which case's outcome to tell its BaRS sender, with the case's retry policy fixed when asked.</summary>
public sealed record BarsResponseStart(string CaseId, string Kind, CaseTimings Timings);

public sealed record BarsResponseStep(CaseStep Step, string Kind);
public sealed record BarsResponseParkStep(CaseStep Step, string Kind, string Error);

/// <summary>
/// Sends one outcome of a case (<see cref="BarsResponses"/>) to the referral's sender: a durable step that retries with the
/// case's policy and, when every try failed, is parked on the case's timeline with an alert. A new orchestration beside the
/// case's, so cases in flight replay unchanged and a sender that is down never holds a case up.
/// </summary>
public static class BarsResponseWorkflow
{
    public const string Name = "BarsResponse";

    /// <summary>Registered from this file: the Durable Task analyzer reads the method only where AddOrchestratorFunc names it.</summary>
    public static readonly OrchestratorDefinition Definition = new(Name, r => r.AddOrchestratorFunc<BarsResponseStart, bool>(Name, RunAsync));

    public static string InstanceId(string caseId, string kind) => $"{caseId}-bars-{kind}";

    /// <summary>True when the sender has the response.</summary>
    public static async Task<bool> RunAsync(TaskOrchestrationContext context, BarsResponseStart start)
    {
        var step = new CaseSteps(context, start.CaseId).For("send");
        try
        {
            return await context.CallActivityAsync<bool>(BarsResponseActivities.SendBarsResponse, new BarsResponseStep(step, start.Kind),
                WorkflowRetry.Steps(start.Timings));
        }
        catch (TaskFailedException e)
        {
            await context.CallActivityAsync<bool>(BarsResponseActivities.ParkBarsResponse,
                new BarsResponseParkStep(step, start.Kind, e.FailureDetails.ErrorMessage), WorkflowRetry.Steps(start.Timings));
            return false;
        }
    }
}
