namespace Workflows.Messaging;

/// <summary>
/// SMS settings (section "Sms"). Without a connection string texts go to the local sink in Development, and wait as
/// not sent anywhere else (<see cref="SmsSetup"/>).
/// </summary>
public sealed class SmsSettings
{
    /// <summary>ACS connection string, <c>endpoint=https://...;accesskey=...</c>. Empty: the local sink (Development only).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The sender texts come from (Sms__FromNumber): a UK mobile number in E.164, a short code, or an alphanumeric id.</summary>
    public string FromNumber { get; set; } = "";

    /// <summary>What <see cref="FromNumber"/> is (Sms__SenderKind): one of <see cref="SmsSenderKinds"/>.</summary>
    public string SenderKind { get; set; } = SmsSenderKinds.UkMobile;

    /// <summary>
    /// Whether a person can answer a text by replying to it. In the UK only a short code or a UK mobile number takes
    /// replies; an alphanumeric sender id is send-only, so a text must offer another way to answer (a link).
    /// </summary>
    public bool SenderCanReceiveReplies => SenderKind is SmsSenderKinds.ShortCode or SmsSenderKinds.UkMobile;

    /// <summary>
    /// The app's public address (Sms__LinkBaseUrl), the start of the links in texts that open the page where an offer or
    /// an approval is answered (<see cref="AnswerLinks"/>). Empty in Development: <see cref="AnswerLinks.LocalDefault"/>.
    /// </summary>
    public string LinkBaseUrl { get; set; } = "";

    /// <summary>
    /// How long after it was due a text held back while SMS was not configured may still go (Sms__LateSendMinutes).
    /// Safety alerts to staff go however late; questions go while their reply code is open (<see cref="WaitingTexts"/>).
    /// </summary>
    public double LateSendMinutes { get; set; } = 60;

    /// <summary>Wrong or unknown reply codes one phone may send before its replies are ignored (Sms__ReplyAttemptLimit).</summary>
    public int ReplyAttemptLimit { get; set; } = 5;

    /// <summary>How long a phone's replies are ignored once it reaches the limit (Sms__ReplyLockoutMinutes).</summary>
    public double ReplyLockoutMinutes { get; set; } = 60;

    public TimeSpan ReplyLockout => TimeSpan.FromMinutes(ReplyLockoutMinutes);

    /// <summary>
    /// How long a closed or expired code stays retired before it can be issued again, so a late reply always
    /// reaches the question it answered (and gets the polite "moved on"), never a newer case.
    /// </summary>
    public double ReplyCodeRetiredDays { get; set; } = 14;

    /// <summary>Retries of a send after 429, 5xx or a timeout, with exponential backoff and jitter.</summary>
    public int SendRetries { get; set; } = 4;

    public double SendRetryBaseDelaySeconds { get; set; } = 1;

    public double SendAttemptTimeoutSeconds { get; set; } = 10;

    public bool UsesAcs => !string.IsNullOrWhiteSpace(ConnectionString);
}

/// <summary>The kinds of UK sender ACS offers, as Sms__SenderKind and the Bicep parameter smsSenderKind name them.</summary>
public static class SmsSenderKinds
{
    /// <summary>A UK short code (5 digits): sends and receives; carrier approval takes weeks.</summary>
    public const string ShortCode = "short-code";

    /// <summary>A UK mobile number (+447...): sends and receives.</summary>
    public const string UkMobile = "uk-mobile";

    /// <summary>An alphanumeric sender id (up to 11 letters, digits and spaces): send-only, replies cannot reach the app.</summary>
    public const string Alphanumeric = "alphanumeric";

    public static readonly IReadOnlyList<string> All = [ShortCode, UkMobile, Alphanumeric];
}
