using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace Workflows.CrisisCare.Bars;

/// <summary>One thing wrong with a BaRS message: the FHIR issue type, where (a FHIRPath-like expression) and what to do.</summary>
public sealed record BarsIssue(IssueType Code, string Diagnostics, string? Expression = null);

/// <summary>
/// The answers BaRS expects from a receiver: an OperationOutcome with the HTTP error code
/// (REC_BAD_REQUEST, REC_CONFLICT...) in issue.details, or a message bundle; FHIR JSON unless the caller's Accept
/// prefers FHIR XML (<see cref="As"/>), always with X-Request-ID and X-Correlation-ID mirrored back when the sender
/// gave usable ones.
/// </summary>
public sealed class BarsOutcome(int status, Resource body, string? requestId, string? correlationId, bool xml = false) : IResult
{
    public const string FhirJson = "application/fhir+json";
    public const string FhirXml = "application/fhir+xml";

    public int Status => status;
    public Resource Body => body;

    /// <summary>
    /// This answer in the format the caller's Accept header prefers among FHIR JSON and XML; JSON when it names
    /// neither (FHIR leaves the format to the server then).
    /// </summary>
    public BarsOutcome As(HttpRequest request) =>
        new(status, body, requestId, correlationId, PrefersXml(request));

    private static bool PrefersXml(HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().Accept
            .OrderByDescending(a => a.Quality ?? 1)
            .Select(a => a.MediaType.Value?.ToLowerInvariant())
            .FirstOrDefault(m => m is FhirJson or FhirXml or "application/json" or "application/xml");
        return accepted is FhirXml or "application/xml";
    }

    public static BarsOutcome Error(int status, string errorCode, IEnumerable<BarsIssue> issues, string? requestId, string? correlationId)
    {
        var outcome = new OperationOutcome
        {
            Id = Guid.NewGuid().ToString(),
            Meta = new Meta { Profile = [BarsCodes.OperationOutcomeProfile] },
        };
        foreach (var i in issues)
        {
            var issue = new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = i.Code,
                Details = new CodeableConcept(BarsCodes.HttpErrorCodes, errorCode, $"{status} - {errorCode}"),
                Diagnostics = i.Diagnostics,
            };
            if (i.Expression is not null) issue.Expression = [i.Expression];
            outcome.Issue.Add(issue);
        }
        return new BarsOutcome(status, outcome, requestId, correlationId);
    }

    public static BarsOutcome Error(int status, string errorCode, BarsIssue issue, string? requestId, string? correlationId) =>
        Error(status, errorCode, [issue], requestId, correlationId);

    public static BarsOutcome BadRequest(IEnumerable<BarsIssue> issues, string? requestId, string? correlationId) =>
        Error(StatusCodes.Status400BadRequest, "REC_BAD_REQUEST", issues, requestId, correlationId);

    public static BarsOutcome Conflict(BarsIssue issue, string? requestId, string? correlationId) =>
        Error(StatusCodes.Status409Conflict, "REC_CONFLICT", issue, requestId, correlationId);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = (xml ? FhirXml : FhirJson) + "; charset=utf-8";
        if (requestId is not null) response.Headers[BarsHeaders.RequestId] = requestId;
        if (correlationId is not null) response.Headers[BarsHeaders.CorrelationId] = correlationId;
        await response.WriteAsync(xml ? body.ToXml() : body.ToJson(), httpContext.RequestAborted);
    }
}

/// <summary>BaRS transaction-integrity headers: a UUID per message, and one per conversation (kept across updates).</summary>
public static class BarsHeaders
{
    public const string RequestId = "X-Request-ID";
    public const string CorrelationId = "X-Correlation-ID";
}
