namespace Workflows.Validation;

/// <summary>The NHS number's Modulus 11 check digit (NHS Data Dictionary).</summary>
public static class NhsNumber
{
    public static bool IsValid(string? s)
    {
        if (s is null || s.Length != 10 || !s.All(char.IsAsciiDigit)) return false;
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (s[i] - '0') * (10 - i);
        var check = 11 - sum % 11;
        if (check == 11) check = 0;
        return check != 10 && check == s[9] - '0';
    }
}
