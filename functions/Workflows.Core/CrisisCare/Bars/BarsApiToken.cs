using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Workflows.CrisisCare.Bars;

/// <summary>
/// The NHS API platform's access token for sending through the BaRS API (application-restricted, signed JWT): a client
/// assertion signed RS512 with this app's private key (the platform holds the public one under <see cref="BarsSettings.KeyId"/>),
/// exchanged at <see cref="BarsSettings.TokenUrl"/> for a bearer token, kept until a minute before it expires.
/// </summary>
public sealed class BarsApiToken(BarsSettings settings, IHttpClientFactory http, TimeProvider time)
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private (string Token, DateTimeOffset Until)? _current;

    /// <summary>The Authorization header to send, or null when no token endpoint is configured (a proxy that needs none).</summary>
    public async Task<AuthenticationHeaderValue?> HeaderAsync(CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(settings.TokenUrl)) return null;
        await _one.WaitAsync(ct);
        try
        {
            if (_current is not { } held || held.Until <= time.GetUtcNow()) _current = held = await RequestAsync(ct);
            return new AuthenticationHeaderValue("Bearer", held.Token);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Drops the token held (the API said it is not valid), so the next send asks for a new one.</summary>
    public void Forget() => _current = null;

    private async Task<(string, DateTimeOffset)> RequestAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(settings.ApiKey) || string.IsNullOrWhiteSpace(settings.KeyId) || string.IsNullOrWhiteSpace(settings.PrivateKey))
            throw new InvalidOperationException("Bars__TokenUrl is set without Bars__ApiKey, Bars__KeyId and Bars__PrivateKey.");
        var now = time.GetUtcNow();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = Assertion(now),
        });
        using var response = await http.CreateClient(BarsResponseActivities.HttpClientName).PostAsync(settings.TokenUrl, form, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"The NHS API platform refused an access token ({(int)response.StatusCode})", null, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var token = body.RootElement.GetProperty("access_token").GetString()!;
        // The platform writes expires_in as a string ("599"); a number is read as well.
        var expires = body.RootElement.TryGetProperty("expires_in", out var e)
            ? e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            : 300;
        return (token, now.AddSeconds(Math.Max(0, expires - 60)));
    }

    /// <summary>The signed JWT: iss and sub the API key, aud the token URL, a fresh jti, valid five minutes.</summary>
    private string Assertion(DateTimeOffset now)
    {
        static string Part(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));
        var unsigned = Part(new { alg = "RS512", typ = "JWT", kid = settings.KeyId }) + "." + Part(new
        {
            iss = settings.ApiKey, sub = settings.ApiKey, aud = settings.TokenUrl, jti = Guid.NewGuid().ToString(),
            exp = now.AddMinutes(5).ToUnixTimeSeconds(),
        });
        using var rsa = RSA.Create();
        rsa.ImportFromPem(settings.PrivateKey);
        return unsigned + "." + Base64Url(rsa.SignData(Encoding.ASCII.GetBytes(unsigned), HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
