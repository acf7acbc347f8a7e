using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workflows.Tests.Messaging;

/// <summary>
/// A real HTTP server speaking the ACS SMS API: it recomputes the HMAC-SHA256 signature exactly as ACS does
/// (401 when anything differs), answers each attempt from a script (202, 429, 500, a refused recipient, slow),
/// and like ACS sends a repeatability id once, answering a repeat with the first response.
/// </summary>
public sealed class FakeAcs : IAsyncDisposable
{
    public enum Answer { Accept, TooManyRequests, ServerError, RecipientRefused, Slow }

    public sealed record Attempt(string RepeatabilityRequestId, string RepeatabilityFirstSent, string To, string From,
        string Message, string Tag, bool DeliveryReport, HttpStatusCode Status);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Answer> _script = new();
    private readonly ConcurrentDictionary<string, string> _accepted = new();
    private readonly ConcurrentQueue<Attempt> _attempts = new();

    private FakeAcs(WebApplication app, byte[] key)
    {
        _app = app;
        Key = key;
    }

    public byte[] Key { get; }

    public Uri Endpoint => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public string ConnectionString => $"endpoint={Endpoint};accesskey={Convert.ToBase64String(Key)}";

    /// <summary>Every request that passed the signature check, in order.</summary>
    public IReadOnlyList<Attempt> Attempts => [.. _attempts];

    /// <summary>Messages actually sent to phones: one per repeatability id.</summary>
    public int Sent => _accepted.Count;

    public int Unauthorised;

    /// <summary>While set, every attempt is answered 500, as in an outage of the provider (the script waits).</summary>
    public bool Down { get; set; }

    /// <summary>How to answer the next attempts; after the script, every attempt is accepted.</summary>
    public void Then(params Answer[] answers)
    {
        foreach (var a in answers) _script.Enqueue(a);
    }

    public static async Task<FakeAcs> StartAsync()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeAcs(app, key);
        app.MapPost("/sms", fake.HandleAsync);
        await app.StartAsync();
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (request.Query["api-version"] != "2021-03-07") return Results.BadRequest();
        if (!SignatureHolds(request, body))
        {
            Interlocked.Increment(ref Unauthorised);
            return Results.Json(new { error = new { code = "Denied", message = "Denied by the resource provider." } }, statusCode: 401);
        }

        var json = JsonNode.Parse(body)!;
        var recipient = json["smsRecipients"]![0]!;
        var id = recipient["repeatabilityRequestId"]!.GetValue<string>();
        var answer = Down ? Answer.ServerError : _script.TryDequeue(out var next) ? next : Answer.Accept;
        var status = answer switch
        {
            Answer.TooManyRequests => HttpStatusCode.TooManyRequests,
            Answer.ServerError => HttpStatusCode.InternalServerError,
            _ => HttpStatusCode.Accepted,
        };
        _attempts.Enqueue(new Attempt(id, recipient["repeatabilityFirstSent"]!.GetValue<string>(), recipient["to"]!.GetValue<string>(),
            json["from"]!.GetValue<string>(), json["message"]!.GetValue<string>(), json["smsSendOptions"]!["tag"]!.GetValue<string>(),
            json["smsSendOptions"]!["enableDeliveryReport"]!.GetValue<bool>(), status));

        if (answer == Answer.TooManyRequests)
        {
            request.HttpContext.Response.Headers.RetryAfter = "0";
            return Results.StatusCode(429);
        }
        if (answer == Answer.ServerError) return Results.StatusCode(500);
        if (_accepted.TryGetValue(id, out var firstResponse)) return Results.Text(firstResponse, "application/json", statusCode: 202);

        var to = recipient["to"]!.GetValue<string>();
        var result = answer == Answer.RecipientRefused
            ? new JsonObject { ["to"] = to, ["httpStatusCode"] = 400, ["repeatabilityResult"] = "accepted", ["successful"] = false,
                ["errorMessage"] = "Invalid To phone number format." }
            : new JsonObject { ["to"] = to, ["messageId"] = $"Outgoing_{Guid.NewGuid():N}_noam", ["httpStatusCode"] = 202,
                ["repeatabilityResult"] = "accepted", ["successful"] = true };
        var response = new JsonObject { ["value"] = new JsonArray(result) }.ToJsonString();
        if (answer != Answer.RecipientRefused) _accepted[id] = response;
        // Sent, but the answer comes too late for the caller's attempt timeout: its retry must not send again.
        if (answer == Answer.Slow)
        {
            try { await Task.Delay(TimeSpan.FromSeconds(30), request.HttpContext.RequestAborted); }
            catch (OperationCanceledException) { }
        }
        return Results.Text(response, "application/json", statusCode: 202);
    }

    /// <summary>ACS's check: date fresh, body hash matches, HMAC over "POST\npath?query\ndate;host;hash" with the key.</summary>
    private bool SignatureHolds(HttpRequest request, byte[] body)
    {
        var date = request.Headers["x-ms-date"].ToString();
        var hash = request.Headers["x-ms-content-sha256"].ToString();
        var auth = request.Headers.Authorization.ToString();
        if (!DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ||
            (DateTimeOffset.UtcNow - at).Duration() > TimeSpan.FromMinutes(15))
            return false;
        if (hash != Convert.ToBase64String(SHA256.HashData(body))) return false;
        const string prefix = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=";
        if (!auth.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var expected = HMACSHA256.HashData(Key,
            Encoding.UTF8.GetBytes($"POST\n{request.Path}{request.QueryString}\n{date};{request.Host.Value};{hash}"));
        try { return CryptographicOperations.FixedTimeEquals(expected, Convert.FromBase64String(auth[prefix.Length..])); }
        catch (FormatException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
