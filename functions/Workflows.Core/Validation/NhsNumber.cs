namespace Workflows.Validation;

/// <summary>The NHS number: 10 digits, the last a Modulus 11 check digit (NHS Data Dictionary), and not a placeholder.</summary>
public static class NhsNumber
{
    public static bool IsValid(string? s) => s is not null && Problem(s) is null;

    /// <summary>Why <paramref name="s"/> is not a patient's NHS number (a clause: "is ..."), or null when it is one.</summary>
    public static string? Problem(string s)
    {
        if (s.Length != 10 || !s.All(char.IsAsciiDigit) || !PassesCheckDigit(s))
            return "is not a 10-digit number that passes its Modulus 11 check";
        return IsPlaceholder(s) ? "is a placeholder (one digit repeated, 0123456789 or 9876543210), not a patient's number" : null;
    }

    /// <summary>
    /// Numbers typed to fill a required field that pass the check all the same, and would join unrelated patients under
    /// one number: every number of one repeated digit (the weights 10..2 sum to 54, which is -1 modulo 11, so the check
    /// digit of ddddddddd is d itself) and the keyboard runs 0123456789 and 9876543210.
    /// </summary>
    public static bool IsPlaceholder(string s) => s.Distinct().Count() == 1 || s is "0123456789" or "9876543210";

    private static bool PassesCheckDigit(string s)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (s[i] - '0') * (10 - i);
        var check = 11 - sum % 11;
        if (check == 11) check = 0;
        return check != 10 && check == s[9] - '0';
    }
}
