using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.AzureStorage;
using DurableTask.Core.History;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Replay;

/// <summary>
/// Orchestration histories recorded from real runs on the local engine, kept in Replay/Histories as the engine's own
/// history events (one file per instance). A flow test records its instance when run with RECORD_HISTORIES=1
/// (docs/engineering.md, "Recording a history"); otherwise <see cref="SaveAsync"/> does nothing.
/// </summary>
public static class RecordedHistories
{
    public static string Folder => Path.Combine(RepoRoot.Path, "tests", "Workflows.Tests", "Replay", "Histories");

    public static IEnumerable<string> Names => Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order()!;

    /// <summary>Writes the instance's history (its current execution) as <paramref name="name"/>.json, when recording.</summary>
    public static async Task SaveAsync(TestHost host, string instanceId, string name)
    {
        if (Environment.GetEnvironmentVariable("RECORD_HISTORIES") != "1") return;
        var engine = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = host.TaskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(host.Azurite.ConnectionString),
        });
        var history = JsonNode.Parse(await engine.GetOrchestrationHistoryAsync(instanceId, null))!;
        await File.WriteAllTextAsync(Path.Combine(Folder, name + ".json"), history.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The recorded events, each as the Durable Task type its EventType names.</summary>
    public static IReadOnlyList<HistoryEvent> Load(string name) =>
        JArray.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json"))).Cast<JObject>().Select(e =>
        {
            var kind = (EventType)e["EventType"]!.Value<int>();
            var type = typeof(HistoryEvent).Assembly.GetType($"DurableTask.Core.History.{kind}Event")
                ?? throw new InvalidDataException($"{name}: no history event type for {kind}");
            return (HistoryEvent)e.ToObject(type)!;
        }).ToList();
}
