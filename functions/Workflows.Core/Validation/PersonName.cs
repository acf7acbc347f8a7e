namespace Workflows.Validation;

/// <summary>The parts of a person's name as senders write it: "Claire Ashworth", "ASHWORTH, Claire", "Mrs Claire Ashworth".</summary>
public static class PersonName
{
    private static readonly HashSet<string> Titles = new(StringComparer.OrdinalIgnoreCase)
    {
        "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Rev", "Sir", "Dame", "Lady", "Lord",
    };

    /// <summary>
    /// The given name, never the surname, or "" when the name does not say which it is. A comma means surname first
    /// (the form of registers and many systems); a title is passed over only when a given name and a surname follow it
    /// ("Mrs Ashworth" has no given name to greet).
    /// </summary>
    public static string GivenName(string? name)
    {
        var s = name ?? "";
        var comma = s.IndexOf(',');
        if (comma >= 0) s = s[(comma + 1)..];
        var words = s.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length > 0 && Titles.Contains(words[0].TrimEnd('.')))
            return words.Length >= 3 || (comma >= 0 && words.Length == 2) ? words[1] : "";
        return words.FirstOrDefault() ?? "";
    }
}
