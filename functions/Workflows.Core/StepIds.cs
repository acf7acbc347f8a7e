namespace Workflows;

/// <summary>
/// The id of an orchestration's nth step: its instance and the count of steps taken. The same whenever the code reaches
/// that step (a replay, or an episode run again after a crash lost its checkpoint, when the episode's clock and
/// context.NewGuid() differ), so the step's timeline row and texts are written once. Zero-padded so ids sort in order.
/// </summary>
public static class StepIds
{
    public static string For(string instanceId, int n) => $"{instanceId}-{n:D6}";
}
