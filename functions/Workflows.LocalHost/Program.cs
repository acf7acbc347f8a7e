using Workflows.LocalHost;

if (args is [EngineServer.Argument])
{
    await EngineServer.RunAsync();
    return;
}

await using var app = await LocalHostApp.StartAsync(args: args);
Banner.Print(app);
await app.Web.WaitForShutdownAsync();
