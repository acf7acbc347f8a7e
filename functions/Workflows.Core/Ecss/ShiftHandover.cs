using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.CrisisCare;

namespace Workflows.Ecss;

/// <summary>
/// At a shift change, every bridged case whose HCA is not on the incoming shift (or no longer in the pool, or no longer
/// an HCA on their staff record) goes back to dispatch for that shift.
/// Once per boundary: a marker row records the boundary as done, and each case ignores a handover it has already had,
/// so a timer that fires twice, or a run that crashed half way and is repeated, moves nothing twice.
/// </summary>
public sealed class ShiftHandover(CaseStore cases, Roster roster, EcssSettings settings, TimeProvider time, ILogger<ShiftHandover> log)
{
    /// <summary>Hands over to the shift on duty now unless that boundary was already handed over (the timers call this).</summary>
    public async Task<int> HandOverIfDueAsync(DurableTaskClient client, CancellationToken ct = default)
    {
        var incoming = Shift.At(time.GetUtcNow());
        return await roster.WasHandedOverAsync(incoming, ct) ? 0 : await HandOverAsync(incoming, client, ct);
    }

    /// <summary>Raises a handover on each bridged case whose HCA is not on <paramref name="incoming"/> and in the pool; returns how many.</summary>
    public async Task<int> HandOverAsync(Shift incoming, DurableTaskClient client, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        // An HCA taken out of the pool hands over at the next boundary even if the rota still names them.
        var pool = (await roster.HcasAsync(ct)).Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        var onShift = (await roster.OnShiftAsync(incoming, ct)).HcaIds.Where(pool.Contains).ToHashSet(StringComparer.Ordinal);
        var moved = 0;
        await foreach (var c in cases.BridgedAsync(settings.Team, ct))
        {
            if (c.AssignedHca is null || onShift.Contains(c.AssignedHca)) continue;
            await client.RaiseEventAsync(c.CaseId, EcssCaseWorkflow.HandoverEvent, new HandoverRequest(incoming.Key, c.AssignedHca, now), ct);
            moved++;
        }
        await roster.MarkHandedOverAsync(incoming, now, ct);
        log.LogInformation("Shift handover to {Shift} for team {Team}: {Cases} case(s) back to dispatch", incoming.Key, settings.Team, moved);
        return moved;
    }
}
