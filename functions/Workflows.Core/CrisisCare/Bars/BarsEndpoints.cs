using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Workflows.Http;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Workflows.CrisisCare.Bars;

/// <summary>
/// POST /api/intake/bars/$process-message: NHS 111 referrals as BaRS servicerequest-request messages, in FHIR JSON or
/// XML. Answers synchronously as BaRS asks: 200 with a response message Bundle, or an OperationOutcome, in the format
/// the caller's Accept prefers; never stores a refused message.
/// </summary>
public sealed class BarsEndpoints(BarsReferrals referrals, BarsMessageLog messages, WebhookSignature signature, TimeProvider time,
    ILogger<BarsEndpoints> log)
{
    /// <summary>BaRS bundles with their supporting resources run to tens of KiB; a referral never needs more than this.</summary>
    public const int MaxBodyBytes = 512 * 1024;

    public async Task<IResult> ProcessMessage(HttpRequest request, DurableTaskClient client) =>
        (await ProcessAsync(request, client)).As(request);

    private async Task<BarsOutcome> ProcessAsync(HttpRequest request, DurableTaskClient client)
    {
        var ct = request.HttpContext.RequestAborted;
        if (BodyFormat(request.ContentType) is not { } format)
            return BarsOutcome.Error(StatusCodes.Status415UnsupportedMediaType, "REC_BAD_REQUEST",
                new BarsIssue(IssueType.NotSupported, "Send the Bundle as application/fhir+json or application/fhir+xml (Content-Type)."), null, null);
        var (raw, unread) = await RequestBody.ReadBytesAsync(request, MaxBodyBytes);
        if (unread is not null)
            return BarsOutcome.Error(StatusCodes.Status413PayloadTooLarge, "REC_BAD_REQUEST",
                new BarsIssue(IssueType.TooLong, $"The Bundle is larger than {MaxBodyBytes / 1024} KiB."), null, null);
        if (signature.Verify(request, raw!) is { } unsigned)
            return BarsOutcome.Error(StatusCodes.Status401Unauthorized, "REC_UNAUTHORIZED",
                new BarsIssue(IssueType.Security, (unsigned as ProblemHttpResult)?.ProblemDetails.Detail ?? "The call is not signed."), null, null);

        var (requestId, correlationId, headerIssues) = ReadTransactionHeaders(request);
        string? echoRequest = requestId is null ? null : request.Headers[BarsHeaders.RequestId].ToString();
        string? echoCorrelation = correlationId is null ? null : request.Headers[BarsHeaders.CorrelationId].ToString();
        if (headerIssues.Count > 0) return BarsOutcome.BadRequest(headerIssues, echoRequest, echoCorrelation);
        // Parsed as the answer's format is chosen from Accept (BarsOutcome.As), not split by hand.
        var headers = request.GetTypedHeaders();
        if ((BarsRejection.ForMediaVersion(headers.Accept, "Accept")
                ?? BarsRejection.ForMediaVersion(headers.ContentType is { } type ? [type] : [], "Content-Type")) is { } otherVersion)
            return otherVersion.ToOutcome(echoRequest, echoCorrelation);

        try
        {
            if (await messages.FindAsync(requestId!.Value, ct) is { } seen)
                return BarsOutcome.Conflict(new BarsIssue(IssueType.Duplicate,
                    $"This message (X-Request-ID {echoRequest}) was already processed at {seen.ProcessedAt:u}: case {CaseActivities.ShortId(seen.CaseId)} " +
                    $"({seen.CaseId}). Nothing was changed; send an update with a new X-Request-ID."), echoRequest, echoCorrelation);

            var (bundle, malformed) = format == BarsOutcome.FhirXml ? BarsReferral.ParseXml(raw!) : BarsReferral.Parse(raw!);
            if (malformed is not null) return malformed.ToOutcome(echoRequest, echoCorrelation);
            var now = time.GetUtcNow();
            var (referral, refused) = BarsReferral.Read(bundle!, now);
            if (refused is not null) return refused.ToOutcome(echoRequest, echoCorrelation);

            if (referral!.Action == BarsAction.New)
                await messages.RecordSenderAsync(referral, correlationId!.Value, ProcessMessageUrl(request), ct);
            var (applied, rejected) = await referrals.ApplyAsync(referral, requestId.Value, client, ct);
            if (rejected is not null) return rejected.ToOutcome(echoRequest, echoCorrelation);

            await messages.RecordAsync(requestId.Value, correlationId!.Value, applied!.CaseId, referral!.Action, referral.SourceEndpoint, now, ct);
            log.LogInformation("BaRS message {RequestId} ({Action}) for case {CaseId}, correlation {CorrelationId}",
                requestId, referral.Action, applied.CaseId, correlationId);
            return new BarsOutcome(StatusCodes.Status200OK, BarsResponse.For(referral, applied, ProcessMessageUrl(request), now),
                echoRequest, echoCorrelation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The sender retries with the same X-Request-ID; every step above is safe to repeat.
            log.LogError(e, "BaRS message {RequestId} failed", requestId);
            return BarsOutcome.Error(StatusCodes.Status500InternalServerError, "REC_SERVER_ERROR",
                new BarsIssue(IssueType.Transient, "The SPOC could not process the referral just now: retry with the same X-Request-ID, " +
                    "and if it fails again phone the SPOC."), echoRequest, echoCorrelation);
        }
    }

    /// <summary>GET /api/intake/bars/metadata: this receiver's CapabilityStatement.</summary>
    public IResult Metadata(HttpRequest request)
    {
        return new BarsOutcome(StatusCodes.Status200OK, BarsCapability.For(ProcessMessageUrl(request)), null, null).As(request);
    }

    /// <summary>X-Request-ID and X-Correlation-ID: both required, both UUIDs (BaRS transaction integrity).</summary>
    private static (Guid? RequestId, Guid? CorrelationId, List<BarsIssue> Issues) ReadTransactionHeaders(HttpRequest request)
    {
        var issues = new List<BarsIssue>();
        Guid? Read(string name)
        {
            string? value = request.Headers[name];
            if (string.IsNullOrWhiteSpace(value))
            { issues.Add(new BarsIssue(IssueType.Required, $"The {name} header is required: a UUID, the same on every retry of this message.", name)); return null; }
            if (!Guid.TryParse(value.Trim(), out var id))
            { issues.Add(new BarsIssue(IssueType.Invalid, $"The {name} header must be a UUID.", name)); return null; }
            return id;
        }
        return (Read(BarsHeaders.RequestId), Read(BarsHeaders.CorrelationId), issues);
    }

    /// <summary>FHIR JSON or FHIR XML (plain application/json and application/xml read as those), else null.</summary>
    private static string? BodyFormat(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        BarsOutcome.FhirJson or "application/json" => BarsOutcome.FhirJson,
        BarsOutcome.FhirXml or "application/xml" => BarsOutcome.FhirXml,
        _ => null,
    };

    /// <summary>This receiver's $process-message URL, from any of its BaRS routes as the caller reached it.</summary>
    private static string ProcessMessageUrl(HttpRequest r)
    {
        var url = $"{r.Scheme}://{r.Host}{r.PathBase}{r.Path}";
        return url[..url.LastIndexOf('/')] + "/$process-message";
    }
}
