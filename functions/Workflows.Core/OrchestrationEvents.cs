using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Workflows.Http;

namespace Workflows;

/// <summary>
/// Raising an event on an orchestration that may have started only a moment ago. The Azure Storage engine enqueues an
/// orchestration's start message before it writes the instance row; when it dequeues the message before the row is
/// there, it puts the message back for later, and an event that arrives in between finds no history and is discarded
/// ("No such instance"). A triage posted seconds after the 111 call, or an assessment seconds after the referral, would
/// be lost: the case would wait for a decision it never hears (hazard H18). So a route that records such a decision
/// first waits, with <see cref="StartedAsync"/>, until the orchestration has run its first episode. A crisis case's
/// orchestration is started from a queue after 111 is answered (<c>CaseStartQueue</c>), so for a case that exists
/// "no instance yet" is waited for as well.
/// </summary>
public static class OrchestrationEvents
{
    /// <summary>How long a caller waits for a start before being told to try again.</summary>
    public static readonly TimeSpan StartWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The orchestration once it is past Pending (null when there is no such instance and <paramref name="startIsQueued"/>
    /// is false); throws <see cref="OrchestrationNotStartedException"/> when it has not started after <see cref="StartWait"/>.
    /// </summary>
    public static async Task<OrchestrationMetadata?> StartedAsync(DurableTaskClient client, string instanceId,
        bool startIsQueued = false, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct);
            if (instance is null ? !startIsQueued : instance.RuntimeStatus != OrchestrationRuntimeStatus.Pending) return instance;
            if (Stopwatch.GetElapsedTime(started) >= StartWait) throw new OrchestrationNotStartedException(instanceId);
            await Task.Delay(delay, ct);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    /// <summary>
    /// For a route about to record a decision: null once the orchestration has started, else a 503 problem saying
    /// <paramref name="what"/> was made a moment ago and nothing was recorded.
    /// </summary>
    public static async Task<IResult?> NotStartedProblemAsync(DurableTaskClient client, string instanceId, string what,
        bool startIsQueued = false)
    {
        try
        {
            await StartedAsync(client, instanceId, startIsQueued);
            return null;
        }
        catch (OrchestrationNotStartedException)
        {
            return Problems.Unavailable($"{what} a moment ago and has not started yet; nothing was recorded. Try again in a few seconds.");
        }
    }
}

/// <summary>The orchestration is still waiting for its first episode: the caller should try again in a few seconds.</summary>
public sealed class OrchestrationNotStartedException(string instanceId)
    : Exception($"Orchestration {instanceId} has not started yet.")
{
    public string InstanceId { get; } = instanceId;
}
