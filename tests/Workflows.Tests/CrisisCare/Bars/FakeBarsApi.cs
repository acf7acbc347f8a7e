using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workflows.Tests.CrisisCare.Bars;

/// <summary>
/// A real HTTP server in the place of the BaRS API: takes POST /$process-message as the API would route it on to the
/// sender named by NHSD-Target-Identifier, keeps each message with its headers, and answers with <see cref="Status"/>.
/// </summary>
public sealed class FakeBarsApi : IAsyncDisposable
{
    public sealed record Received(string RequestId, string CorrelationId, string Target, string ContentType, string Body)
    {
        /// <summary>The NHSD-Target-Identifier as the JSON it encodes.</summary>
        public JsonObject TargetIdentifier => JsonNode.Parse(Convert.FromBase64String(Target))!.AsObject();
    }

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();

    private FakeBarsApi(WebApplication app) => _app = app;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/bars/FHIR/R4";

    /// <summary>Every request, in order, whatever it was answered.</summary>
    public IReadOnlyList<Received> Messages => [.. _received];

    /// <summary>What every request is answered (200 unless a test says otherwise).</summary>
    public int Status { get; set; } = 200;

    public static async Task<FakeBarsApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeBarsApi(app);
        app.MapPost("/bars/FHIR/R4/$process-message", fake.HandleAsync);
        await app.StartAsync();
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        _received.Enqueue(new Received(request.Headers["X-Request-ID"].ToString(), request.Headers["X-Correlation-ID"].ToString(),
            request.Headers["NHSD-Target-Identifier"].ToString(), request.ContentType ?? "", await reader.ReadToEndAsync()));
        return Results.StatusCode(Status);
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have come.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (_received.Count < count)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"The BaRS API had {_received.Count} of {count} messages.");
            await Task.Delay(100);
        }
        return Messages;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
