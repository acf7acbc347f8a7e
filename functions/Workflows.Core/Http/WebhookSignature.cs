using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Workflows.Http;

/// <summary>
/// The 111 webhook signature: <c>X-Signature: sha256=hex(HMAC-SHA256(secret, "{timestamp}.{raw body}"))</c> with
/// <c>X-Signature-Timestamp</c> in unix seconds, within five minutes of now so a captured call cannot be replayed.
/// Two secrets may be valid at once, so the 111 provider's secret can be rotated without downtime.
/// </summary>
public sealed class WebhookSignature(IntakeSettings settings, TimeProvider time)
{
    public const string SignatureHeader = "X-Signature";
    public const string TimestampHeader = "X-Signature-Timestamp";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public IResult? Verify(HttpRequest request, byte[] rawBody)
    {
        var secrets = settings.Secrets().ToList();
        if (secrets.Count == 0) return Problems.Unauthorized("The intake secret is not configured; no signed call can be accepted.");
        string? ts = request.Headers[TimestampHeader], sig = request.Headers[SignatureHeader];
        if (string.IsNullOrEmpty(ts) || string.IsNullOrEmpty(sig))
            return Problems.Unauthorized($"Sign the call: send {TimestampHeader} and {SignatureHeader}.");
        if (!long.TryParse(ts, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) || unix > 100_000_000_000)
            return Problems.Unauthorized($"{TimestampHeader} must be unix seconds.");
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(unix);
        if (age.Duration() > Tolerance)
            return Problems.Unauthorized($"{TimestampHeader} is more than 5 minutes from now: sign each delivery afresh.");
        if (!sig.StartsWith("sha256=", StringComparison.Ordinal) || !TryHex(sig.AsSpan(7), out var given))
            return Problems.Unauthorized($"{SignatureHeader} must be sha256=<hex>.");
        foreach (var secret in secrets)
            if (CryptographicOperations.FixedTimeEquals(Compute(secret, ts, rawBody), given))
                return null;
        return Problems.Unauthorized("The signature does not match the body.");
    }

    public static byte[] Compute(string secret, string timestamp, byte[] rawBody)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(message, 0);
        rawBody.CopyTo(message, prefix.Length);
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }

    /// <summary>The two headers a 111 system sends for a body (used by the run script and the tests).</summary>
    public static (string Timestamp, string Signature) Sign(string secret, byte[] rawBody, DateTimeOffset at)
    {
        var ts = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return (ts, "sha256=" + Convert.ToHexStringLower(Compute(secret, ts, rawBody)));
    }

    private static bool TryHex(ReadOnlySpan<char> hex, out byte[] bytes)
    {
        bytes = [];
        if (hex.Length != 64) return false;
        try { bytes = Convert.FromHexString(hex); return true; }
        catch (FormatException) { return false; }
    }
}

public sealed class IntakeSettings
{
    /// <summary>The shared secret the 111 system signs with.</summary>
    public string? Secret { get; set; }

    /// <summary>The secret being rotated out; accepted until it is removed.</summary>
    public string? SecretPrevious { get; set; }

    public IEnumerable<string> Secrets() =>
        new[] { Secret, SecretPrevious }.Where(s => !string.IsNullOrWhiteSpace(s))!;
}
