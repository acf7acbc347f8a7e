namespace Workflows.Messaging;

/// <summary>SMS settings (section "Sms"). Without a connection string messages go to the local sink.</summary>
public sealed class SmsSettings
{
    /// <summary>ACS connection string, <c>endpoint=https://...;accesskey=...</c>. Empty: the local sink.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The ACS number texts are sent from, E.164 (Sms__FromNumber).</summary>
    public string FromNumber { get; set; } = "";

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
