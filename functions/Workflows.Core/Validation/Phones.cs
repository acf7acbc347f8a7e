using PhoneNumbers;

namespace Workflows.Validation;

/// <summary>E.164 checks on libphonenumber's metadata; people we text must be on a UK mobile.</summary>
public static class Phones
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Ofcom's ranges reserved for drama and testing (never connected). libphonenumber calls them invalid,
    /// but all sample data and tests use them, so they must pass as the kind of number they imitate.
    /// </summary>
    private static readonly string[] DramaMobiles = ["+447700900"];
    private static readonly string[] DramaLandlines =
    [
        "+441134960", "+441144960", "+441154960", "+441164960", "+441174960", "+441184960", "+441214960",
        "+441314960", "+441414960", "+441514960", "+441614960", "+442079460", "+441914980", "+442890180",
        "+442920180", "+44163296", "+443069990",
    ];

    public static bool IsE164(string s)
    {
        if (s.Length < 8 || s.Length > 16 || s[0] != '+' || !s.Skip(1).All(char.IsAsciiDigit)) return false;
        if (IsDrama(s, DramaMobiles) || IsDrama(s, DramaLandlines)) return true;
        try
        {
            var n = Util.Parse(s, null);
            return Util.IsValidNumber(n) && Util.Format(n, PhoneNumberFormat.E164) == s;
        }
        catch (NumberParseException) { return false; }
    }

    /// <summary>
    /// A sender's number as a carrier writes it, in E.164 with its "+" (ACS writes "15555555555", without it), or null
    /// when it is not a phone number. Any country, and not checked against numbering plans: the carrier connected the
    /// call, so it is a number, and a STOP from it must be heard.
    /// </summary>
    public static string? FromCarrier(string? written)
    {
        var digits = written?.StartsWith('+') == true ? written[1..] : written;
        return digits is { Length: >= 7 and <= 15 } && digits[0] != '0' && digits.All(char.IsAsciiDigit) ? "+" + digits : null;
    }

    public static bool IsUkMobile(string s)
    {
        if (!IsE164(s) || !s.StartsWith("+44", StringComparison.Ordinal)) return false;
        if (IsDrama(s, DramaMobiles)) return true;
        var type = Util.GetNumberType(Util.Parse(s, null));
        return type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;
    }

    private static bool IsDrama(string s, string[] prefixes) => s.Length == 13 && prefixes.Any(p => s.StartsWith(p, StringComparison.Ordinal));
}
