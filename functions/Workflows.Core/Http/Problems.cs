using Microsoft.AspNetCore.Http;

namespace Workflows.Http;

/// <summary>RFC 9457 problem bodies: a title, a detail a person can act on, and errors per field.</summary>
public static class Problems
{
    public static IResult Validation(IDictionary<string, string[]> errors, string detail = "Some fields are missing or invalid; see errors.") =>
        Make(StatusCodes.Status400BadRequest, "The request is not valid", detail, errors);

    public static IResult Unprocessable(string title, string detail, IDictionary<string, string[]>? errors = null) =>
        Make(StatusCodes.Status422UnprocessableEntity, title, detail, errors);

    public static IResult Unauthorized(string detail) => Make(StatusCodes.Status401Unauthorized, "Not authenticated", detail);

    public static IResult Forbidden(string detail) => Make(StatusCodes.Status403Forbidden, "Not allowed", detail);

    public static IResult NotFound(string detail) => Make(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Make(StatusCodes.Status409Conflict, title, detail, extensions: extensions);

    public static IResult TooLarge(int limitBytes) =>
        Make(StatusCodes.Status413PayloadTooLarge, "The request body is too large", $"Send at most {limitBytes / 1024} KiB.");

    public static IResult UnsupportedMediaType() =>
        Make(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "Send the body as application/json.");

    public static IResult Unavailable(string detail) =>
        Make(StatusCodes.Status503ServiceUnavailable, "Try again shortly", detail);

    public static IResult Make(int status, string title, string detail,
        IDictionary<string, string[]>? errors = null, IDictionary<string, object?>? extensions = null)
    {
        var ext = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>());
        if (errors is { Count: > 0 }) ext["errors"] = errors;
        return Results.Problem(statusCode: status, title: title, detail: detail,
            type: $"https://httpstatuses.io/{status}", extensions: ext);
    }
}
