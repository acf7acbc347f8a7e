using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Messaging;

/// <summary>An ACS connection string: <c>endpoint=https://name.communication.azure.com/;accesskey=base64</c>.</summary>
public sealed record AcsConnection(Uri Endpoint, byte[] AccessKey)
{
    public static AcsConnection Parse(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ||
            !parts.TryGetValue("accesskey", out var key))
            throw new InvalidOperationException("Sms__ConnectionString must be an ACS connection string: endpoint=https://...;accesskey=...");
        try { return new AcsConnection(new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"), Convert.FromBase64String(key)); }
        catch (FormatException) { throw new InvalidOperationException("The accesskey in Sms__ConnectionString is not base64."); }
    }
}

/// <summary>
/// Signs each attempt as ACS expects (HMAC-SHA256 over method, path and query, date, host and body hash), so a
/// retry carries a fresh date. Runs inside the retry handler.
/// </summary>
public sealed class AcsRequestSigning(AcsConnection connection, TimeProvider time) : DelegatingHandler
{
    public const string SignedHeaders = "x-ms-date;host;x-ms-content-sha256";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(ct);
        var contentHash = Convert.ToBase64String(SHA256.HashData(body));
        var date = time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        var uri = request.RequestUri!;
        var signature = Sign(connection.AccessKey, request.Method.Method, uri.PathAndQuery, date, uri.Authority, contentHash);
        request.Headers.Remove("x-ms-date");
        request.Headers.Remove("x-ms-content-sha256");
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-content-sha256", contentHash);
        request.Headers.Authorization = new AuthenticationHeaderValue("HMAC-SHA256", $"SignedHeaders={SignedHeaders}&Signature={signature}");
        return await base.SendAsync(request, ct);
    }

    public static string Sign(byte[] key, string method, string pathAndQuery, string date, string host, string contentHash) =>
        Convert.ToBase64String(HMACSHA256.HashData(key,
            Encoding.UTF8.GetBytes($"{method.ToUpperInvariant()}\n{pathAndQuery}\n{date};{host};{contentHash}")));
}

/// <summary>
/// Sends through the ACS SMS REST API (api-version 2021-03-07). The repeatability id is a name-based UUID of the
/// message id and the first-sent time is stored with the message, so every retry and every replay is the same
/// request to ACS, which sends it once. Transient failures are retried by the client's resilience handler.
/// </summary>
public sealed class AcsSmsClient(IHttpClientFactory clients, SmsSettings settings) : ISmsCarrier
{
    public const string HttpClientName = "acs-sms";
    public const string ApiVersion = "2021-03-07";

    /// <summary>Namespace of this app's repeatability ids (a fixed random UUID).</summary>
    public static readonly Guid RepeatabilityNamespace = new("6f1b1c1e-4a53-4c0e-9d43-2f6b8e1f7a10");

    public static Guid RepeatabilityId(string messageId) => NameBasedUuid.V5(RepeatabilityNamespace, messageId);

    public async Task<CarrierResult> SendAsync(SmsMessage message, DateTimeOffset firstSentAt, CancellationToken ct = default)
    {
        var body = new JsonObject
        {
            ["from"] = settings.FromNumber,
            ["smsRecipients"] = new JsonArray(new JsonObject
            {
                ["to"] = message.To,
                ["repeatabilityRequestId"] = RepeatabilityId(message.Id).ToString(),
                ["repeatabilityFirstSent"] = firstSentAt.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture),
            }),
            ["message"] = message.Body,
            ["smsSendOptions"] = new JsonObject { ["enableDeliveryReport"] = true, ["tag"] = message.Tag },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"sms?api-version={ApiVersion}")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString())),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            var transient = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500;
            return new CarrierResult(false, null, $"ACS answered {(int)response.StatusCode}: {Brief(text)}", transient);
        }
        return Recipient(text);
    }

    /// <summary>A 202 still carries a result per recipient; an unsuccessful one is a failure with its error.</summary>
    private static CarrierResult Recipient(string text)
    {
        try
        {
            var result = JsonNode.Parse(text)?["value"]?.AsArray().FirstOrDefault();
            if (result is null) return new CarrierResult(false, null, "ACS accepted the request but returned no recipient result.", true);
            var messageId = result["messageId"]?.GetValue<string>();
            if (result["successful"]?.GetValue<bool>() == true) return new CarrierResult(true, messageId);
            var status = result["httpStatusCode"]?.GetValue<int>() ?? 0;
            var error = result["errorMessage"]?.GetValue<string>() ?? "no error message";
            return new CarrierResult(false, messageId, $"ACS did not send to the recipient ({status}): {Brief(error)}",
                Transient: status is 429 or >= 500);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return new CarrierResult(false, null, "ACS returned a body that is not the SMS send result.", true);
        }
    }

    private static string Brief(string s) => s.Length <= 300 ? s : s[..300];
}

/// <summary>RFC 9562 name-based UUIDs (version 5, SHA-1): the same name always gives the same id.</summary>
public static class NameBasedUuid
{
    public static Guid V5(Guid ns, string name)
    {
        var input = ns.ToByteArray(bigEndian: true).Concat(Encoding.UTF8.GetBytes(name)).ToArray();
        var hash = SHA1.HashData(input)[..16];
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }
}
