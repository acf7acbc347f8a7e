using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Serialization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Operations;
using Workflows.Storage;

namespace Workflows.CrisisCare.Bars;

/// <summary>Section "Bars": where this receiver sends what it has to say to a referral's sender.</summary>
public sealed class BarsSettings
{
    /// <summary>
    /// The BaRS API's base URL (Bars__ApiUrl; the NHS API platform's booking-and-referral FHIR R4 endpoint). Responses go
    /// to its $process-message, addressed to the sender by NHSD-Target-Identifier (the referral's source.endpoint): the
    /// API routes them, so this app only ever calls the address its deployment configured. Empty: no responses are sent.
    /// </summary>
    public string? ApiUrl { get; set; }

    /// <summary>The NHS API platform's OAuth token endpoint (Bars__TokenUrl): set, each send carries a bearer token (<see cref="BarsApiToken"/>).</summary>
    public string? TokenUrl { get; set; }

    /// <summary>The platform's application key for this app (Bars__ApiKey; a Key Vault reference in Azure).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The id the platform holds this app's public key under (Bars__KeyId, the JWT's kid).</summary>
    public string? KeyId { get; set; }

    /// <summary>This app's RSA private key in PEM (Bars__PrivateKey; a Key Vault reference in Azure).</summary>
    public string? PrivateKey { get; set; }
}

/// <summary>
/// Who a response goes to: a referral's MessageHeader.source.endpoint, "system|value" as BaRS writes it (the sender's
/// reference on the Endpoint Catalogue), sent as the NHSD-Target-Identifier header (base64 of that identifier as JSON).
/// </summary>
public static class BarsTargetIdentifier
{
    public const string Header = "NHSD-Target-Identifier";

    public static string For(string sourceEndpoint)
    {
        var bar = sourceEndpoint.LastIndexOf('|');
        // A bare URI (no "system|") is its own identifier, in the URI system.
        var (system, value) = bar < 0 ? ("urn:ietf:rfc:3986", sourceEndpoint) : (sourceEndpoint[..bar], sourceEndpoint[(bar + 1)..]);
        return Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new { system, value }));
    }
}

/// <summary>
/// The asynchronous BaRS response: when a case that came by BaRS is triaged and when it closes, the SPOC's outcome goes
/// back to the referral's sender (its source.endpoint) as a servicerequest-response message. The case's steps ask
/// (<see cref="AskAsync"/>) through the case-starts queue, which starts one <see cref="BarsResponseWorkflow"/> per case
/// and outcome; that orchestration sends it with retries and, when it cannot, parks it on the case's timeline. The case
/// never waits for, or fails with, its response.
/// </summary>
public sealed class BarsResponses(BarsMessageLog messages, CaseStartQueue starts, CrisisCareSettings settings)
{
    public const string Triaged = "triaged";
    public const string Closed = "closed";
    private const string Prefix = "bars-response/";

    /// <summary>Asks for the response of <paramref name="kind"/> when the case came by BaRS; nothing otherwise. Safe to repeat.</summary>
    public async Task AskAsync(string caseId, string kind, CancellationToken ct = default)
    {
        if (await messages.FindSenderAsync(caseId, ct) is null) return;
        await starts.SendAsync($"{Prefix}{kind}/{caseId}", ct);
    }

    /// <summary>Whether a case-starts message asks for a response, and which.</summary>
    public static bool IsAsk(string message, out string caseId, out string kind)
    {
        (caseId, kind) = ("", "");
        if (!message.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = message[Prefix.Length..].Split('/');
        if (parts.Length != 2 || parts[0] is not (Triaged or Closed)) return false;
        (kind, caseId) = (parts[0], parts[1]);
        return true;
    }

    /// <summary>Starts the response's orchestration, once per case and outcome however often it is asked.</summary>
    public Task StartAsync(DurableTaskClient client, string caseId, string kind, CancellationToken ct = default) =>
        OrchestrationStarts.StartOnceAsync(client, BarsResponseWorkflow.Name, BarsResponseWorkflow.InstanceId(caseId, kind),
            new BarsResponseStart(caseId, kind, settings.Timings()), ct);
}

/// <summary>Sends a case's response to its BaRS sender, or records why it was not sent; each step safe to run twice.</summary>
public sealed class BarsResponseActivities(BarsMessageLog messages, CaseStore cases, CaseTimeline timeline, BarsSettings settings,
    BarsApiToken token, IHttpClientFactory http, ILogger<BarsResponseActivities> log)
{
    public const string SendBarsResponse = nameof(SendBarsResponse);
    public const string ParkBarsResponse = nameof(ParkBarsResponse);
    public const string HttpClientName = "bars-responses";
    private const string Actor = "system";

    /// <summary>
    /// True when the sender has the response (2xx, or 409 for a message it had already); false when it was not sent and
    /// will not be (no BaRS API configured, or refused with a 4xx: a resend would be refused the same). Throws to be retried.
    /// </summary>
    public async Task<bool> SendAsync(BarsResponseStep s)
    {
        var caseId = s.Step.CaseId;
        if (await messages.FindSenderAsync(caseId) is not { } sender) return false;
        if (string.IsNullOrWhiteSpace(settings.ApiUrl))
        {
            await Log(s.Step, "bars-response-not-sent", $"NHS 111 was not sent the case's outcome ({s.Kind}): no BaRS API is configured (Bars__ApiUrl).");
            return false;
        }
        var c = await cases.GetAsync(caseId);
        var bundle = BarsResponse.StatusUpdate(sender, c, s.Kind, part => Id(s, part), s.Step.At);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.ApiUrl.TrimEnd('/') + "/$process-message")
        {
            Content = new StringContent(bundle.ToJson(), Encoding.UTF8, BarsOutcome.FhirJson),
        };
        // The same ids on every retry, so a sender that had the message already knows it (BaRS answers 409 then).
        request.Headers.Add(BarsHeaders.RequestId, Id(s, "request"));
        request.Headers.Add(BarsHeaders.CorrelationId, sender.CorrelationId);
        request.Headers.Add(BarsTargetIdentifier.Header, BarsTargetIdentifier.For(sender.SourceEndpoint));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(BarsOutcome.FhirJson));
        request.Headers.Authorization = await token.HeaderAsync();
        using var response = await http.CreateClient(HttpClientName).SendAsync(request);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict)
        {
            await Log(s.Step, "bars-response-sent", $"NHS 111 was sent the case's outcome ({s.Kind}); it answered {status}.");
            return true;
        }
        // A token the platform no longer takes: the retry asks for a new one.
        if (response.StatusCode == HttpStatusCode.Unauthorized) token.Forget();
        else if (status is >= 400 and < 500 and not (408 or 429))
        {
            await ParkAsync(new BarsResponseParkStep(s.Step, s.Kind, $"the sender refused it with {status}"));
            return false;
        }
        throw new HttpRequestException($"The BaRS sender answered {status}", null, response.StatusCode);
    }

    /// <summary>A response that could not be sent: on the case's timeline for staff, and an alert for operations.</summary>
    public async Task<bool> ParkAsync(BarsResponseParkStep p)
    {
        log.LogError(AlertEvents.BarsResponseNotSent, "The BaRS response ({Kind}) of case {CaseId} was not sent: {Error}", p.Kind, p.Step.CaseId, p.Error);
        var error = p.Error.Length > 300 ? p.Error[..300] : p.Error;
        await Log(p.Step with { StepId = p.Step.StepId + "-parked" }, "bars-response-parked",
            $"NHS 111 could not be sent the case's outcome ({p.Kind}): {error}. The case carries on; phone 111 if they must know.");
        return true;
    }

    private Task Log(CaseStep step, string kind, string summary) =>
        timeline.AppendAsync(new TimelineEntry(step.CaseId, step.StepId, step.At, kind, Actor, summary));

    /// <summary>A UUID that is the same for every try of one response.</summary>
    private static string Id(BarsResponseStep s, string part) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{s.Step.StepId}/{part}"))[..16]).ToString("D");
}
