using Azure;
using Azure.Storage.Queues.Models;
using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;

namespace Workflows.LocalHost;

/// <summary>
/// The local host's trigger on the case-starts queue (in Azure, the queue-triggered <c>CaseStart</c> function): takes
/// each acknowledged 111 call's message and starts its orchestration, or a case's BaRS response (<see cref="CaseStarts"/>). A start
/// that fails leaves its message to come back after <c>LocalHost:CaseStartRetrySeconds</c> (30), as a queue trigger's
/// visibilityTimeout would.
/// </summary>
public sealed class CaseStartListener(CaseStartQueue starts, CaseStarts caseStarts, DurableTaskClient client, IConfiguration config,
    ILogger<CaseStartListener> log) : BackgroundService
{
    /// <summary>Starts in flight at once: enough to keep the engine busy, few enough to leave it room to run the cases.</summary>
    private const int InFlight = 32;

    private readonly TimeSpan _retryAfter = TimeSpan.FromSeconds(config.GetValue("LocalHost:CaseStartRetrySeconds", 30.0));
    private static readonly TimeSpan FirstIdlePoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LastIdlePoll = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(InFlight);
        using var sent = new SemaphoreSlim(0, 1);
        void Wake() { try { sent.Release(); } catch (SemaphoreFullException) { } }
        starts.Sent += Wake;
        try
        {
            var idle = FirstIdlePoll;
            while (!stop.IsCancellationRequested)
            {
                await slots.WaitAsync(stop);
                var take = 1;
                while (take < InFlight && slots.Wait(0)) take++;
                QueueMessage[] batch;
                try
                {
                    batch = (await starts.Queue.ReceiveMessagesAsync(take, _retryAfter, stop)).Value;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    slots.Release(take);
                    log.LogError(e, "Could not read the {Queue} queue; trying again", starts.Queue.Name);
                    await Task.Delay(LastIdlePoll, stop);
                    continue;
                }
                if (take > batch.Length) slots.Release(take - batch.Length);
                if (batch.Length == 0)
                {
                    await sent.WaitAsync(idle, stop);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, LastIdlePoll.Ticks));
                    continue;
                }
                idle = FirstIdlePoll;
                foreach (var message in batch)
                    _ = StartAsync(message, slots, stop);
            }
        }
        finally
        {
            starts.Sent -= Wake;
        }
    }

    private async Task StartAsync(QueueMessage message, SemaphoreSlim slots, CancellationToken stop)
    {
        try
        {
            await caseStarts.StartAsync(message.Body.ToString(), message.DequeueCount, client, stop);
            try
            {
                await starts.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // The start outlasted the retry interval: the message came back and its newer receipt deletes it.
                log.LogDebug("Case {CaseId} started after its message came back; that receipt deletes it", message.Body.ToString());
            }
        }
        catch (Exception e)
        {
            // The message comes back after the retry interval (to the next host, when this one is stopping).
            if (!stop.IsCancellationRequested)
                log.LogWarning(e, "Starting case {CaseId} failed (attempt {Attempt}); its message comes back in {Seconds} s",
                    message.Body.ToString(), message.DequeueCount, _retryAfter.TotalSeconds);
        }
        finally
        {
            try { slots.Release(); } catch (ObjectDisposedException) { }
        }
    }
}
