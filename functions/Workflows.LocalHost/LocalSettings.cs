using System.Text.Json;

namespace Workflows.LocalHost;

/// <summary>
/// Reads the Functions-style settings file (local.settings.json, else local.settings.sample.json) so the
/// local host and `func` read the same keys; "Section__Key" becomes "Section:Key" as in Azure.
/// </summary>
public static class LocalSettings
{
    public static string? FindRepoRoot(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln"))) return dir.FullName;
        return null;
    }

    public static IEnumerable<KeyValuePair<string, string?>> Read(string? repoRoot)
    {
        if (repoRoot is null) yield break;
        var file = new[] { "local.settings.json", "local.settings.sample.json" }
            .Select(f => Path.Combine(repoRoot, f)).FirstOrDefault(File.Exists);
        if (file is null) yield break;
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        if (!doc.RootElement.TryGetProperty("Values", out var values)) yield break;
        foreach (var p in values.EnumerateObject())
            yield return new(p.Name.Replace("__", ":"), p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
    }
}
