using Microsoft.DurableTask;
using Workflows.CrisisCare;

namespace Workflows;

/// <summary>
/// How the steps of a case retry when storage or SMS is down: with backoff (doubling, at most 5 minutes apart), then the
/// orchestrator parks the case as needs-attention and tells the coordinator, instead of failing where nobody looks.
/// The policy comes from the case's input, so a replay always sees the same one.
/// </summary>
public static class WorkflowRetry
{
    public static TaskOptions Steps(CaseTimings timings) => TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: Math.Max(1, timings.StepAttempts),
        firstRetryInterval: timings.StepFirstRetry ?? TimeSpan.FromSeconds(5),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(5)));
}
