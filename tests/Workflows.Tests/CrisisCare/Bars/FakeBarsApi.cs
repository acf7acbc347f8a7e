using System.Collections.Concurrent;
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

namespace Workflows.Tests.CrisisCare.Bars;

/// <summary>
/// A real HTTP server in the place of the BaRS API: takes POST /$process-message as the API would route it on to the
/// sender named by NHSD-Target-Identifier, keeps each message with its headers, and answers with <see cref="Status"/>.
/// </summary>
public sealed class FakeBarsApi : IAsyncDisposable
{
    public sealed record Received(string RequestId, string CorrelationId, string Target, string ContentType, string Body, string Authorization)
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

    /// <summary>
    /// The NHS API platform's part, when set: POST /oauth2/token takes a client assertion signed with the private key
    /// whose public half this is (RS512, kid and iss/sub/aud checked) and issues a bearer token; a message without an
    /// issued token is answered 401.
    /// </summary>
    public (RSA PublicKey, string KeyId, string ApiKey)? Platform { get; set; }

    public string TokenUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/oauth2/token";

    /// <summary>Tokens issued, in order.</summary>
    public IReadOnlyList<string> Tokens => [.. _tokens];

    private readonly ConcurrentQueue<string> _tokens = new();

    public static async Task<FakeBarsApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeBarsApi(app);
        app.MapPost("/bars/FHIR/R4/$process-message", fake.HandleAsync);
        app.MapPost("/oauth2/token", fake.TokenAsync);
        await app.StartAsync();
        return fake;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var authorization = request.Headers.Authorization.ToString();
        _received.Enqueue(new Received(request.Headers["X-Request-ID"].ToString(), request.Headers["X-Correlation-ID"].ToString(),
            request.Headers["NHSD-Target-Identifier"].ToString(), request.ContentType ?? "", await reader.ReadToEndAsync(), authorization));
        if (Platform is not null && !_tokens.Any(t => authorization == "Bearer " + t)) return Results.StatusCode(401);
        return Results.StatusCode(Status);
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        if (Platform is not { } platform) return Results.NotFound();
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials" || form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            return Results.BadRequest();
        var parts = form["client_assertion"].ToString().Split('.');
        static byte[] Decode(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/').PadRight((s.Length + 3) / 4 * 4, '='));
        if (parts.Length != 3 || !platform.PublicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2]),
                HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1))
            return Results.Unauthorized();
        var header = JsonNode.Parse(Decode(parts[0]))!;
        var claims = JsonNode.Parse(Decode(parts[1]))!;
        if (header["alg"]!.GetValue<string>() != "RS512" || header["kid"]!.GetValue<string>() != platform.KeyId ||
            claims["iss"]!.GetValue<string>() != platform.ApiKey || claims["sub"]!.GetValue<string>() != platform.ApiKey ||
            claims["aud"]!.GetValue<string>() != TokenUrl ||
            DateTimeOffset.FromUnixTimeSeconds(claims["exp"]!.GetValue<long>()) > DateTimeOffset.UtcNow.AddMinutes(5).AddSeconds(5))
            return Results.Unauthorized();
        var token = Guid.NewGuid().ToString("N");
        _tokens.Enqueue(token);
        // As the platform writes it: expires_in a string.
        return Results.Json(new { access_token = token, expires_in = "599", token_type = "Bearer", issued_at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString() });
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
