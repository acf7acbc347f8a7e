using System.Globalization;
using System.Text;

namespace Workflows.Messaging;

/// <summary>
/// The GSM 03.38 alphabet every handset shows. A text outside it goes as UCS-2 (70 characters a segment), so
/// templates stay inside it and variable parts are cleaned into it.
/// </summary>
public static class Gsm7
{
    public const int SingleSegment = 160;
    public const int PerConcatenatedSegment = 153;

    /// <summary>Two concatenated segments: the most a template may render.</summary>
    public const int TwoSegments = 2 * PerConcatenatedSegment;

    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /// <summary>Characters sent as an escape plus a code: each takes two septets.</summary>
    private const string Extension = "\f^{}\\[~]|€";

    private static readonly Dictionary<char, string> Lookalikes = new()
    {
        ['\u2018'] = "'", ['\u2019'] = "'", ['\u201A'] = "'", ['\u2032'] = "'", ['`'] = "'",
        ['\u201C'] = "\"", ['\u201D'] = "\"", ['\u201E'] = "\"",
        ['\u2013'] = "-", ['\u2014'] = "-", ['\u2010'] = "-", ['\u2011'] = "-", ['\u2212'] = "-",
        ['\u2026'] = "...", ['\u00A0'] = " ", ['\u2007'] = " ", ['\u202F'] = " ", ['\t'] = " ",
    };

    public static bool IsGsm7(string text) => text.All(c => Basic.Contains(c) || Extension.Contains(c));

    public static int Septets(string text) => text.Sum(c => Extension.Contains(c) ? 2 : 1);

    public static int Segments(string text)
    {
        var n = Septets(text);
        return n <= SingleSegment ? 1 : (n + PerConcatenatedSegment - 1) / PerConcatenatedSegment;
    }

    /// <summary>
    /// A value made safe to put in a text: lookalike punctuation replaced, accents the alphabet lacks dropped
    /// ("Zoë" -> "Zoe"), anything else left out, runs of spaces collapsed, at most <paramref name="max"/> characters.
    /// </summary>
    public static string Clean(string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value)) return "";
        var sb = new StringBuilder();
        foreach (var c in value.Normalize(NormalizationForm.FormC))
        {
            if (Lookalikes.TryGetValue(c, out var r)) sb.Append(r);
            else if (c is '\r' or '\n' or '\f') sb.Append(' ');
            else if (Basic.Contains(c) || Extension.Contains(c)) sb.Append(c);
            else
                foreach (var d in c.ToString().Normalize(NormalizationForm.FormD))
                    if (CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark && (Basic.Contains(d) || Extension.Contains(d)))
                        sb.Append(d);
        }
        var collapsed = string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length <= max ? collapsed : collapsed[..max].TrimEnd();
    }
}
