using Microsoft.AspNetCore.Http;
using Workflows.Http;

namespace Workflows.Validation;

/// <summary>
/// The ids people give reference records (staff ids, services, hospitals, housing authorities): letters, digits, '-',
/// '_' and '.', starting with a letter or digit; safe as a table key and in a route.
/// </summary>
public static class RecordIds
{
    public const int MaxLength = 64;

    public const string Rule = "Use 1 to 64 letters, digits, '-', '_' and '.', starting with a letter or digit.";

    public static bool IsValid(string? s) =>
        s is { Length: > 0 and <= MaxLength } && char.IsAsciiLetterOrDigit(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The answer to a route whose id parameter <paramref name="field"/> is not one.</summary>
    public static IResult Refused(string field) => Problems.Validation(new Dictionary<string, string[]> { [field] = [Rule] });
}
