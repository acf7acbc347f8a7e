using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Azure.Data.Tables;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace Workflows.LocalHost;

/// <summary>
/// The Durable Task engine the local host runs on, in a process of its own (<see cref="LocalDurableEngine"/> starts
/// it): DurableTask.AzureStorage's orchestration service over Azurite (the same storage format as Durable Functions
/// in Azure, so cases survive a restart), served to the Microsoft.DurableTask worker and client by the gRPC sidecar
/// from Microsoft.DurableTask.InProcessTestHost.
/// </summary>
public static class EngineServer
{
    /// <summary>The local host's argument that makes it the engine process.</summary>
    public const string Argument = "--durable-engine";
    internal const string StorageVariable = "WORKFLOWS_ENGINE_STORAGE";
    internal const string SettingsVariable = "WORKFLOWS_ENGINE_SETTINGS";
    /// <summary>The line on standard output that tells the parent where the engine listens.</summary>
    internal const string AddressLine = "durable-engine-listening ";
    internal const string RequestsQuery = "requests";
    internal const string RequestsLine = "durable-engine-requests ";

    /// <summary>
    /// This program again, as the engine, at nice 10 where <c>nice</c> exists: every thread of the process must start
    /// at the lower priority (Linux gives each thread its own), so it is set before the runtime starts, not after.
    /// </summary>
    internal static ProcessStartInfo ChildStartInfo()
    {
        var dll = typeof(EngineServer).Assembly.Location;
        var dotnet = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        var psi = File.Exists("/usr/bin/nice") ? new ProcessStartInfo("/usr/bin/nice") { ArgumentList = { "-n", "10", dotnet } } : new ProcessStartInfo(dotnet);
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add(Argument);
        psi.UseShellExecute = false;
        return psi;
    }

    /// <summary>The engine process's life: serve until standard input closes (the parent stopped or died).</summary>
    public static async Task RunAsync()
    {
        var storage = Environment.GetEnvironmentVariable(StorageVariable)
            ?? throw new InvalidOperationException($"{StorageVariable} is not set: the engine process is started by the local host.");
        var settings = JsonSerializer.Deserialize<EngineSettings>(Environment.GetEnvironmentVariable(SettingsVariable) ?? "{}")!;
        // Ctrl+C reaches the whole process group; the parent stops its worker first and then this engine, by its input.
        using var ctrlC = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        var (sidecar, service, logs) = await StartAsync(storage, settings);
        var address = sidecar.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.Out.WriteLine(AddressLine + address);
        using var requests = new HttpRequestCounter();
        // Standard input: a request line is answered with the storage requests so far; its end means stop.
        while (await Console.In.ReadLineAsync() is { } line)
            if (line == RequestsQuery)
                Console.Out.WriteLine(RequestsLine + string.Join(' ', requests.ByPort.Select(p => $"{p.Key}={p.Value}")));
        await sidecar.StopAsync();
        // The sidecar stops the service in a fire-and-forget handler; wait for it, so its leases are released and
        // nothing polls storage after the process ends (tests and benchmarks stop Azurite next).
        await service.StopAsync();
        await sidecar.DisposeAsync();
        logs.Dispose();
    }

    private static async Task<(WebApplication, IOrchestrationService, ILoggerFactory)> StartAsync(string storageConnectionString, EngineSettings settings)
    {
        // The engine's own logs: warnings and worse only, its polling is chatty.
        var loggerFactory = LoggerFactory.Create(l => l.AddConsole().SetMinimumLevel(LogLevel.Warning));
        var service = settings.Engine switch
        {
            EngineSettings.AzureStorage => await AzureStorageAsync(storageConnectionString, settings, loggerFactory),
            EngineSettings.InMemory => new InMemoryOrchestrationService(loggerFactory),
            _ => throw new InvalidOperationException(
                $"LocalHost:Engine must be '{EngineSettings.AzureStorage}' or '{EngineSettings.InMemory}', not '{settings.Engine}'."),
        };

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, ParentLifetime>();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var instances = settings.Engine == EngineSettings.AzureStorage ? new TableClient(storageConnectionString, $"{settings.TaskHubName}Instances") : null;
        var guarded = new SidecarOrchestrationService(service, instances, loggerFactory.CreateLogger<SidecarOrchestrationService>());
        builder.Services.AddSingleton<IOrchestrationService>(guarded);
        builder.Services.AddSingleton((IOrchestrationServiceClient)service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync();
        return (sidecar, guarded, loggerFactory);
    }

    private static async Task<IOrchestrationService> AzureStorageAsync(string connectionString, EngineSettings settings, ILoggerFactory logs)
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = settings.TaskHubName,
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            PartitionCount = settings.Partitions,
            MaxConcurrentTaskOrchestrationWorkItems = settings.MaxConcurrentWorkItems,
            MaxConcurrentTaskActivityWorkItems = settings.MaxConcurrentWorkItems,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(settings.MaxPollingMilliseconds),
            WorkerId = settings.WorkerId,
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(settings.QueueVisibilitySeconds),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(settings.QueueVisibilitySeconds),
            // One process owns the hub; after a crash its blob leases must expire before a restarted process can
            // take the partitions back, so keep them short: cases resume within seconds, not a minute.
            LeaseInterval = TimeSpan.FromSeconds(15),
            LeaseRenewInterval = TimeSpan.FromSeconds(5),
            LeaseAcquireInterval = TimeSpan.FromSeconds(5),
            LoggerFactory = logs,
        });
        // The sidecar starts the service but does not create the task hub's queues and tables.
        await service.CreateIfNotExistsAsync();
        return service;
    }

    /// <summary>The engine's life is its parent's (see <see cref="RunAsync"/>), not the console's signals.</summary>
    private sealed class ParentLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
