using System.Globalization;
using System.Text;

namespace Workflows.Validation;

/// <summary>
/// Text as a person reads it. Two kinds of character show nothing yet change a record:
/// <list type="bullet">
/// <item>Invisible format characters (Unicode Cf: zero-width space and joiners, word joiner, byte order mark, soft
/// hyphen, left-to-right and right-to-left marks, tag characters) come in with copied text. They change nothing a
/// person reads but make "Margaret" and "Mar\u200Bgaret" two names that never match, so they are removed.</item>
/// <item>Direction overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) reorder what is shown: a name
/// stored as one thing reads as another on the case page ("Trojan Source"). No system puts one in a name or a note by
/// accident, and removing it would keep text whose meaning its sender hid, so a field holding one is refused.</item>
/// </list>
/// </summary>
public static class VisibleText
{
    public const string DirectionControlProblem =
        "Must not contain direction override, embedding or isolate characters (U+202A-U+202E, U+2066-U+2069): they change the order text is shown in.";

    public static bool IsDirectionControl(Rune r) => r.Value is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    public static bool HasDirectionControl(string s) => s.EnumerateRunes().Any(IsDirectionControl);

    /// <summary><paramref name="s"/> without invisible format characters (direction controls are kept: refuse those).</summary>
    public static string WithoutInvisible(string s)
    {
        if (!s.EnumerateRunes().Any(IsInvisible)) return s;
        var sb = new StringBuilder(s.Length);
        foreach (var r in s.EnumerateRunes())
            if (!IsInvisible(r)) sb.Append(r.ToString());
        return sb.ToString();
    }

    private static bool IsInvisible(Rune r) => Rune.GetUnicodeCategory(r) == UnicodeCategory.Format && !IsDirectionControl(r);
}
