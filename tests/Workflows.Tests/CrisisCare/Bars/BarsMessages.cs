using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.CrisisCare;
using Azure.Data.Tables;
using Workflows.Http;
using Workflows.Storage;

namespace Workflows.Tests.CrisisCare.Bars;

/// <summary>The seeds/bars example messages with fresh ids and times, and a way to post them as a 111 system does.</summary>
public static class BarsMessages
{
    public const string Route = "/api/intake/bars/$process-message";

    /// <summary>A message from seeds/bars with <paramref name="referralId"/> as its ServiceRequest.identifier, authored now.</summary>
    public static JsonObject Seed(string file, string referralId, Action<JsonObject>? change = null)
    {
        var bundle = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "seeds", "bars", file)))!.AsObject();
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:sszzz");
        bundle["timestamp"] = now;
        var sr = Resource(bundle, "ServiceRequest");
        sr["identifier"]![0]!["value"] = referralId;
        sr["authoredOn"] = now;
        if (sr["id"] is not null) sr["id"] = CaseRecord.IdFor(referralId);
        change?.Invoke(bundle);
        return bundle;
    }

    public static JsonObject New(string referralId, Action<JsonObject>? change = null) => Seed("new-referral.json", referralId, change);
    public static JsonObject Update(string referralId, Action<JsonObject>? change = null) => Seed("update-callback-number.json", referralId, change);
    public static JsonObject Cancel(string referralId, Action<JsonObject>? change = null) => Seed("cancel-referral.json", referralId, change);

    public static JsonObject Resource(JsonObject bundle, string type) =>
        bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).First(r => r["resourceType"]!.GetValue<string>() == type);

    public static string NewReferralId() => Guid.NewGuid().ToString();

    /// <summary>POSTs a BaRS message signed as the 111 system signs its webhooks, with the BaRS transaction headers.</summary>
    public static async Task<HttpResponseMessage> PostAsync(this TestHost host, string body, Guid? requestId = null, Guid? correlationId = null,
        string contentType = "application/fhir+json", bool sign = true, bool transactionHeaders = true, string? accept = null)
    {
        var raw = Encoding.UTF8.GetBytes(body);
        var r = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new ByteArrayContent(raw) };
        r.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (accept is not null) r.Headers.Accept.ParseAdd(accept);
        if (sign)
        {
            var (ts, sig) = WebhookSignature.Sign(TestHost.IntakeSecret, raw, DateTimeOffset.UtcNow);
            r.Headers.Add(WebhookSignature.TimestampHeader, ts);
            r.Headers.Add(WebhookSignature.SignatureHeader, sig);
        }
        if (transactionHeaders)
        {
            r.Headers.Add("X-Request-ID", (requestId ?? Guid.NewGuid()).ToString());
            r.Headers.Add("X-Correlation-ID", (correlationId ?? Guid.NewGuid()).ToString());
        }
        return await host.Client.SendAsync(r);
    }

    public static Task<HttpResponseMessage> PostAsync(this TestHost host, JsonObject bundle, Guid? requestId = null, Guid? correlationId = null) =>
        host.PostAsync(bundle.ToJsonString(), requestId, correlationId);

    /// <summary>The first issue of an OperationOutcome.</summary>
    public static JsonObject Issue(JsonObject outcome) => outcome["issue"]![0]!.AsObject();

    /// <summary>Whether a case row exists for <paramref name="referralId"/> (a refused message stores none).</summary>
    public static async Task<bool> CaseExistsAsync(this TestHost host, string referralId) =>
        (await host.Services.GetRequiredService<TableStore>().Table(TableNames.Cases)
            .GetEntityIfExistsAsync<TableEntity>(CaseRecord.IdFor(referralId), CaseRecord.Row)).HasValue;

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage r) =>
        JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
}
