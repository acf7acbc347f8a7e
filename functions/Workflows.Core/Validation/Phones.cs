using PhoneNumbers;

namespace Workflows.Validation;

/// <summary>E.164 checks on libphonenumber's metadata; people we text must be on a UK mobile.</summary>
public static class Phones
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static bool IsE164(string s)
    {
        if (s.Length < 8 || s.Length > 16 || s[0] != '+' || !s.Skip(1).All(char.IsAsciiDigit)) return false;
        try
        {
            var n = Util.Parse(s, null);
            return Util.IsValidNumber(n) && Util.Format(n, PhoneNumberFormat.E164) == s;
        }
        catch (NumberParseException) { return false; }
    }

    public static bool IsUkMobile(string s)
    {
        if (!IsE164(s) || !s.StartsWith("+44", StringComparison.Ordinal)) return false;
        var type = Util.GetNumberType(Util.Parse(s, null));
        return type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;
    }
}
