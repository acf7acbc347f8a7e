using System.Text.RegularExpressions;

namespace Workflows.Validation;

public static partial class Postcode
{
    [GeneratedRegex(@"^(GIR ?0AA|[A-PR-UWYZ][0-9][0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}|[A-PR-UWYZ][A-HK-Y][0-9][0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}|[A-PR-UWYZ][0-9][A-HJKPSTUW] ?[0-9][ABD-HJLNP-UW-Z]{2}|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY] ?[0-9][ABD-HJLNP-UW-Z]{2})$")]
    private static partial Regex UkPostcode();

    /// <summary>The postcode in its canonical form ("DE22 3NE"), or null if it is not a UK postcode.</summary>
    public static string? Normalise(string s)
    {
        var compact = s.Replace(" ", "").ToUpperInvariant();
        if (compact.Length is < 5 or > 7 || !UkPostcode().IsMatch(compact)) return null;
        return $"{compact[..^3]} {compact[^3..]}";
    }

    [GeneratedRegex(@"^[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKPSTUW]?$")]
    private static partial Regex UkDistrict();

    /// <summary>A postcode district as written ("DE22", "S40", "SK17"), or null if it is not one.</summary>
    public static string? NormaliseDistrict(string s)
    {
        var d = s.Trim().ToUpperInvariant();
        return d.Length is >= 2 and <= 4 && UkDistrict().IsMatch(d) ? d : null;
    }

    /// <summary>The outward code, the district a postcode is in ("DE22").</summary>
    public static string District(string normalised) => normalised.Split(' ')[0];
}
