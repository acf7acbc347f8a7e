using System.Text.RegularExpressions;
using Workflows.Validation;

namespace Workflows.Messaging;

/// <summary>
/// Whether texts can go, decided once at start from the settings. When they cannot (no connection string outside
/// Development, a connection string that is not one, a sender that does not fit its kind, links that would not open on a
/// phone: <see cref="AnswerLinks.Problem"/>) the app still starts and
/// takes 111 calls: every text waits as not sent with <see cref="Problem"/> as its reason, the health route answers
/// degraded, and the waiting texts are looked at again on the next start with good settings (<see cref="WaitingTexts"/>).
/// </summary>
public sealed partial record SmsSetup(string Carrier, string? Problem, AcsConnection? Acs = null)
{
    public const string AcsCarrier = "acs";
    public const string LocalSinkCarrier = "local-sink";
    public const string NoCarrier = "none";

    public bool Configured => Problem is null;

    /// <param name="development">
    /// Only in Development may texts go to the local sink (a table nothing in Azure reads): the local host is Development
    /// by nature, the Functions app when AZURE_FUNCTIONS_ENVIRONMENT says so.
    /// </param>
    public static SmsSetup From(SmsSettings settings, bool development)
    {
        if (!settings.UsesAcs)
            return !development ? NotConfigured("Sms__ConnectionString is not set (outside Development texts never go to the local sink).")
                : AnswerLinks.Problem(settings, development) is { } links ? NotConfigured(links)
                : new SmsSetup(LocalSinkCarrier, null);
        var connection = settings.ConnectionString!.Trim();
        if (connection.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
            return NotConfigured("Sms__ConnectionString is a Key Vault reference the platform could not resolve: check the app identity's access to the vault.");
        AcsConnection acs;
        try { acs = AcsConnection.Parse(connection); }
        catch (InvalidOperationException e) { return NotConfigured(e.Message); }
        return (SenderProblem(settings) ?? AnswerLinks.Problem(settings, development)) is { } problem
            ? NotConfigured(problem) : new SmsSetup(AcsCarrier, null, acs);
    }

    /// <summary>Why <see cref="SmsSettings.FromNumber"/> cannot send as <see cref="SmsSettings.SenderKind"/>, or null.</summary>
    public static string? SenderProblem(SmsSettings settings)
    {
        if (!SmsSenderKinds.All.Contains(settings.SenderKind))
            return $"Sms__SenderKind must be one of {string.Join(", ", SmsSenderKinds.All)}.";
        var from = settings.FromNumber.Trim();
        if (from.Length == 0) return $"Sms__FromNumber is empty: set it to the {settings.SenderKind} sender bought on the ACS resource.";
        return settings.SenderKind switch
        {
            SmsSenderKinds.UkMobile when !Phones.IsUkMobile(from) =>
                "Sms__FromNumber is not a UK mobile number in E.164 (+447...), as Sms__SenderKind uk-mobile needs.",
            SmsSenderKinds.ShortCode when !ShortCode().IsMatch(from) =>
                "Sms__FromNumber is not a UK short code (5 or 6 digits), as Sms__SenderKind short-code needs.",
            SmsSenderKinds.Alphanumeric when !AlphanumericId().IsMatch(from) =>
                "Sms__FromNumber is not an alphanumeric sender id (1 to 11 letters, digits or spaces, at least one letter).",
            _ => null,
        };
    }

    private static SmsSetup NotConfigured(string problem) => new(NoCarrier, problem);

    [GeneratedRegex(@"^\d{5,6}$")]
    private static partial Regex ShortCode();

    [GeneratedRegex(@"^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")]
    private static partial Regex AlphanumericId();
}

/// <summary>Stands in for a carrier while SMS is not configured: every text is held back with the reason.</summary>
public sealed class SmsNotConfigured(SmsSetup setup) : ISmsCarrier
{
    public Task<CarrierResult> SendAsync(SmsMessage message, DateTimeOffset firstSentAt, CancellationToken ct = default) =>
        Task.FromResult(new CarrierResult(false, null, $"Not sent yet: SMS is not configured. {setup.Problem}", Held: true));
}
