using System.Security.Cryptography;
using System.Text;

namespace Workflows;

/// <summary>
/// The id of an orchestration's nth step: its instance and the count of steps taken. The same whenever the code reaches
/// that step (a replay, or an episode run again after a crash lost its checkpoint, when the episode's clock and
/// context.NewGuid() differ), so the step's timeline row and texts are written once. Zero-padded so ids sort in order.
/// </summary>
public static class StepIds
{
    public static string For(string instanceId, int n) => $"{instanceId}-{n:D6}";

    /// <summary>A short digest of what a step records, for a step keyed by its content (a corrected visit).</summary>
    public static string Digest(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..12];
}
