using Workflows.LocalHost;

await using var app = await LocalHostApp.StartAsync(args: args);
Banner.Print(app);
await app.Web.WaitForShutdownAsync();
