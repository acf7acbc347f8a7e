using System.Net;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace Workflows.LocalHost;

/// <summary>Settings of the local durable engine (section "LocalHost").</summary>
public sealed class EngineSettings
{
    public const string AzureStorage = "azure-storage";
    /// <summary>Keeps nothing across restarts: for measuring the engine's ceiling without storage, never for cases.</summary>
    public const string InMemory = "in-memory";

    public string Engine { get; set; } = AzureStorage;
    public string TaskHubName { get; set; } = "CrisisCareLocal";
    public int Partitions { get; set; } = 4;
    public int MaxConcurrentWorkItems { get; set; } = 256;
    public int MaxPollingMilliseconds { get; set; } = 100;
    /// <summary>Stable across restarts, so a restarted host takes back its own partition leases at once.</summary>
    public string WorkerId { get; set; } = Environment.MachineName;
    /// <summary>
    /// How long a message taken by a worker that then died stays invisible before another worker picks it up.
    /// The engine's default is 5 minutes, too long for a case stalled by a crash; it must still outlast the
    /// slowest step (an SMS send through all its retries takes about a minute). Restart tests shorten it further.
    /// </summary>
    public double QueueVisibilitySeconds { get; set; } = 90;
}

/// <summary>
/// The Durable Task engine the local host runs on: DurableTask.AzureStorage's orchestration service over
/// Azurite (the same storage format as Durable Functions in Azure, so cases survive a restart), served to
/// the Microsoft.DurableTask worker and client by the gRPC sidecar from Microsoft.DurableTask.InProcessTestHost.
/// </summary>
public sealed class LocalDurableEngine : IAsyncDisposable
{
    private readonly WebApplication _sidecar;
    private readonly ILoggerFactory _logs;
    private readonly IOrchestrationService _service;

    private LocalDurableEngine(WebApplication sidecar, ILoggerFactory logs, IOrchestrationService service, Uri address, EngineWorkItems workItems)
    {
        _sidecar = sidecar;
        _logs = logs;
        _service = service;
        Address = address;
        WorkItems = workItems;
    }

    /// <summary>The sidecar's loopback gRPC address (HTTP/2 without TLS).</summary>
    public Uri Address { get; }

    /// <summary>Work items the engine has completed since it started (the benchmarks report them per second).</summary>
    public EngineWorkItems WorkItems { get; }

    public static async Task<LocalDurableEngine> StartAsync(string storageConnectionString, EngineSettings settings,
        CancellationToken ct = default)
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
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var workItems = new EngineWorkItems();
        builder.Services.AddSingleton(workItems);
        builder.Services.AddGrpc(g => g.Interceptors.Add<EngineWorkItems.Counter>());
        var guarded = new SidecarOrchestrationService(service);
        builder.Services.AddSingleton<IOrchestrationService>(guarded);
        builder.Services.AddSingleton((IOrchestrationServiceClient)service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync(ct);

        var address = sidecar.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalDurableEngine(sidecar, loggerFactory, guarded, new Uri(address), workItems);
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

    public async ValueTask DisposeAsync()
    {
        await _sidecar.StopAsync();
        // The sidecar stops the service in a fire-and-forget handler; wait for it, so nothing polls storage
        // after the host is disposed (tests and benchmarks stop Azurite next).
        await _service.StopAsync();
        await _sidecar.DisposeAsync();
        _logs.Dispose();
    }
}
