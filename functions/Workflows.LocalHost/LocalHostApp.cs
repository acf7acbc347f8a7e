using Workflows.Storage;

namespace Workflows.LocalHost;

/// <summary>
/// The embedded default: the same HTTP routes and orchestrators as the Functions app, on Kestrel, with the
/// durable engine (a child process, <see cref="LocalDurableEngine"/>) and all tables in Azurite. Tests start it
/// in-process; `run-local.sh` starts it as a program.
/// </summary>
public sealed class LocalHostApp : IAsyncDisposable
{
    private LocalHostApp(WebApplication web, LocalDurableEngine engine)
    {
        Web = web;
        Engine = engine;
    }

    public WebApplication Web { get; }

    public LocalDurableEngine Engine { get; }

    public IServiceProvider Services => Web.Services;

    /// <summary>Where the API listens (the real port when the settings asked for port 0).</summary>
    public Uri BaseAddress => new(Web.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    /// <summary>
    /// Builds and starts the host. <paramref name="overrides"/> win over the settings file and the environment;
    /// <paramref name="services"/> changes the registrations last (tests put a fault-injecting durable client in front).
    /// </summary>
    public static async Task<LocalHostApp> StartAsync(IDictionary<string, string?>? overrides = null, string[]? args = null, CancellationToken ct = default,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [], ContentRootPath = AppContext.BaseDirectory });
        var repoRoot = LocalSettings.FindRepoRoot() ?? LocalSettings.FindRepoRoot(AppContext.BaseDirectory);
        // Development by nature (texts may go to the local sink); a settings file, the environment or the overrides
        // may say otherwise, as the tests do to start it as Azure would.
        var settings = new Dictionary<string, string?> { [WorkflowServices.EnvironmentSetting] = "Development" };
        foreach (var (key, value) in LocalSettings.Read(repoRoot)) settings[key] = value;
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = settings });
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        var config = builder.Configuration;

        builder.WebHost.UseUrls(config["LocalHost:Urls"] ?? "http://127.0.0.1:7071");
        builder.Logging.AddSimpleConsole(o => o.IncludeScopes = true);
        // As host.json in Azure: ASP.NET Core's request log writes every URL, query string and all.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddWorkflows(config);
        builder.Services.AddProblemDetails();
        builder.Services.AddHostedService<ShiftHandoverTimer>();
        builder.Services.AddHostedService<CaseStartListener>();
        builder.Services.AddHostedService<OperationsTimer>();
        builder.Services.AddSingleton(new LocalHostSettings
        {
            FunctionsKey = config["LocalHost:FunctionsKey"] ?? "local-dev-key",
            SeedsPath = ResolvePath(repoRoot, config["LocalHost:SeedsPath"] ?? "seeds"),
        });

        var storage = config["AzureWebJobsStorage"] ?? "UseDevelopmentStorage=true";
        var engineSettings = new EngineSettings { TaskHubName = config["TaskHubName"] ?? "CrisisCareLocal" };
        config.GetSection("LocalHost").Bind(engineSettings);
        var engine = await LocalDurableEngine.StartAsync(storage, engineSettings, ct);

        engine.AddClientAndWorker(builder.Services, WorkflowCatalog.Register);
        services?.Invoke(builder.Services);

        var web = builder.Build();
        var app = new LocalHostApp(web, engine);
        // Without its engine the host would still answer 111 while no case moves: stop it, loudly.
        engine.Died += code =>
        {
            web.Services.GetRequiredService<ILogger<LocalHostApp>>().LogCritical(
                "The durable engine process ended with {ExitCode}; no case can move without it, so the host stops", code);
            web.Lifetime.StopApplication();
        };
        try
        {
            await web.Services.GetRequiredService<TableStore>().EnsureTablesAsync(ct);
            await web.Services.GetRequiredService<Workflows.CrisisCare.CaseStartQueue>().EnsureCreatedAsync(ct);
            await SeedData.LoadAsync(web.Services, web.Services.GetRequiredService<LocalHostSettings>().SeedsPath, ct);
            await web.Services.GetRequiredService<Workflows.Staff.FirstAdmin>().EnsureAsync(ct);
            Routes.Map(web);
            await web.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private static string ResolvePath(string? root, string path) =>
        Path.IsPathRooted(path) || root is null ? path : Path.Combine(root, path);

    public async ValueTask DisposeAsync()
    {
        try { await Web.StopAsync(); } catch (OperationCanceledException) { }
        await Web.DisposeAsync();
        await Engine.DisposeAsync();
    }
}

public sealed class LocalHostSettings
{
    public string FunctionsKey { get; set; } = "";
    public string SeedsPath { get; set; } = "";
}
