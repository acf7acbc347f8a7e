using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Workflows;
using Workflows.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<InstanceLogScope>();
builder.UseMiddleware<StaffSignInMiddleware>();
builder.Services.AddWorkflows(builder.Configuration);
builder.Services.AddHostedService<StorageStartup>();

// Traces from webhook to orchestration to activity to the ACS call, correlated with the host's own telemetry.
var telemetry = builder.Services.AddOpenTelemetry()
    .UseFunctionsWorkerDefaults()
    .WithTracing(t => t.AddSource("Microsoft.DurableTask").AddHttpClientInstrumentation());
if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
    // Local auth is off on the App Insights resource: telemetry is sent with the app's managed identity.
    telemetry.UseAzureMonitorExporter(o => o.Credential = new ManagedIdentityCredential(
        ManagedIdentityId.FromUserAssignedClientId(builder.Configuration["AZURE_CLIENT_ID"] ?? "")));

builder.Build().Run();
