namespace Workflows.Ecss;

/// <summary>
/// How far an HCA's home district is from a patient's, in four steps: the same postcode district, the same part of
/// the county, a neighbouring part, or further. Drive times across Derbyshire follow its valleys and the A-roads
/// between its towns more than straight lines, so a hand-kept map of the county's parts ranks better than
/// district centroids would, and a coordinator can read and correct it.
/// </summary>
public static class CountyAreas
{
    private static readonly Dictionary<string, string> PartOf = new(StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, string[]> Neighbours = new()
    {
        ["derby"] = ["south", "amber-erewash", "dales"],
        ["south"] = ["derby"],
        ["amber-erewash"] = ["derby", "dales", "chesterfield"],
        ["dales"] = ["derby", "amber-erewash", "chesterfield", "high-peak"],
        ["chesterfield"] = ["amber-erewash", "dales", "high-peak"],
        ["high-peak"] = ["dales", "chesterfield"],
    };

    static CountyAreas()
    {
        Add("derby", "DE1", "DE3", "DE21", "DE22", "DE23", "DE24", "DE72", "DE73", "DE74");
        Add("south", "DE11", "DE12", "DE13", "DE14", "DE15", "DE65");
        Add("amber-erewash", "DE5", "DE7", "DE55", "DE56", "DE75", "NG10", "NG16");
        Add("dales", "DE4", "DE6", "DE45");
        Add("chesterfield", "S18", "S21", "S40", "S41", "S42", "S43", "S44", "S45", "S80");
        Add("high-peak", "SK13", "SK17", "SK22", "SK23", "S32", "S33");
    }

    private static void Add(string part, params string[] districts)
    {
        foreach (var d in districts) PartOf[d] = part;
    }

    /// <summary>The part of the county a district is in ("high-peak"), or null when it is outside the map.</summary>
    public static string? Part(string district) => PartOf.GetValueOrDefault(district);

    /// <summary>0 same district, 1 same part of the county, 2 a neighbouring part, 3 further or unknown.</summary>
    public static int Distance(string fromDistrict, string toDistrict)
    {
        if (string.Equals(fromDistrict, toDistrict, StringComparison.OrdinalIgnoreCase)) return 0;
        if (Part(fromDistrict) is not { } a || Part(toDistrict) is not { } b) return 3;
        if (a == b) return 1;
        return Neighbours[a].Contains(b) ? 2 : 3;
    }

    /// <summary>A cautious estimate of the drive, for the family's "expected around" text.</summary>
    public static TimeSpan TravelTime(int distance) => distance switch
    {
        0 => TimeSpan.FromMinutes(20),
        1 => TimeSpan.FromMinutes(35),
        2 => TimeSpan.FromMinutes(50),
        _ => TimeSpan.FromMinutes(75),
    };
}
