namespace Workflows.Messaging;

/// <summary>
/// One text message. <see cref="Id"/> comes from the message's own identity (case, step, recipient), so a
/// retried or replayed send is recognised as the same message and goes out once. <see cref="Audience"/> is set by the
/// code that writes the text, which knows whom it is for. When delivery fails and <see cref="NotifyOnFailure"/> is set,
/// an <see cref="SmsReply"/> with answer UNDELIVERED is raised there. <see cref="SafetyAlert"/> marks an alert to staff
/// (an overdue triage, a case parked, a fund year ending): held back while SMS was not configured, it still goes however
/// late (<see cref="WaitingTexts"/>).
/// </summary>
public sealed record SmsMessage(string Id, string To, string Body, string Tag, SmsAudience Audience, ReplyRoute? NotifyOnFailure = null,
    bool SafetyAlert = false);

/// <summary>Whom a text is for, which decides whether a STOP from its number silences it.</summary>
public enum SmsAudience
{
    /// <summary>Family, carers and anyone else not on staff: a STOP from the number stops these texts.</summary>
    Family,

    /// <summary>
    /// Staff at work (coordinator alerts, HCA offers, District Direct approvals and escalations): sent whatever the
    /// number replied, since an alert a STOP could silence is no safety net (H30). A STOP from staff is reported instead.
    /// </summary>
    Staff,
}

/// <summary>Where the answer to a question asked by SMS goes: an orchestration instance and an event name.</summary>
public sealed record ReplyRoute(string InstanceId, string EventName);

/// <summary>
/// A person's answer to a question asked by SMS (or UNDELIVERED when the question never reached them): a text reply from
/// the phone <paramref name="From"/>, or, with <paramref name="By"/> (their staff id), given signed in from the link in
/// the text (<see cref="CodeAnswers"/>), when <paramref name="From"/> is empty.
/// </summary>
public sealed record SmsReply(string Code, string Answer, string From, DateTimeOffset At, string? By = null);

public static class SmsAnswers
{
    public const string Yes = "YES";
    public const string No = "NO";
    public const string Approve = "APPROVE";
    public const string Reject = "REJECT";
    public const string Undelivered = "UNDELIVERED";
    /// <summary>A carer asking to be called (carer check-ins), as an answer to their code.</summary>
    public const string Help = "HELP";
    /// <summary>A carer's check-in scores, 1 (struggling) to 5 (coping well).</summary>
    public static readonly string[] Scores = ["1", "2", "3", "4", "5"];
}

/// <summary>
/// Short codes for questions asked by SMS ("Reply YES K7QD"). A reply "ANSWER CODE" from the phone the code was
/// issued to, before it expires and while it is open, is raised as an <see cref="SmsReply"/> on the code's
/// <see cref="ReplyRoute"/>. Anything else is ignored and logged; a late reply to a closed code is answered politely.
/// </summary>
public interface IReplyCodes
{
    /// <summary>
    /// Issues a code unique among open codes, and its link id; <paramref name="purpose"/> says what it answers ("hca-offer",
    /// "dd-approval"), <paramref name="subject"/> what it is about in its flow's terms (how the link's route finds it).
    /// </summary>
    Task<IssuedCode> IssueAsync(ReplyRoute route, string phone, DateTimeOffset expiresAt, string purpose, string subject, CancellationToken ct = default);

    /// <summary>Closes a code: later replies change nothing and get a polite answer.</summary>
    Task CloseAsync(string code, CancellationToken ct = default);
}

/// <summary>
/// What became of a send. Sent=false at once (number not a UK mobile, a family recipient replied STOP, ACS refused it or
/// stayed down through every retry) is only returned, not raised: the caller moves on from the result. A failure
/// that ACS reports later, in a delivery receipt, is raised as UNDELIVERED on <see cref="SmsMessage.NotifyOnFailure"/>.
/// </summary>
/// <param name="Retryable">Not sent yet, but worth sending again later (the carrier was down or busy).</param>
public sealed record SmsSendResult(bool Sent, string? ProviderMessageId = null, string? Error = null, bool Retryable = false)
{
    /// <summary>Fails the activity when the carrier could not take the text yet, so its retry policy sends it again.</summary>
    public SmsSendResult ThrowIfRetryable() =>
        Retryable ? throw new SmsNotSentException($"The SMS service could not take the text yet: {Error}") : this;
}

public sealed class SmsNotSentException(string message) : Exception(message);

public static class SmsSenderExtensions
{
    /// <summary>
    /// Sends every text, then fails the activity if the carrier could not take any of them yet: one recipient's
    /// trouble must not keep the others from being told. The retry sends only what did not go (each id is sent once).
    /// </summary>
    public static async Task<IReadOnlyList<SmsSendResult>> SendEachAsync(this ISmsSender sms, IEnumerable<SmsMessage> messages, CancellationToken ct = default)
    {
        var results = new List<SmsSendResult>();
        foreach (var m in messages) results.Add(await sms.SendAsync(m, ct));
        results.FirstOrDefault(r => r.Retryable)?.ThrowIfRetryable();
        return results;
    }
}

/// <summary>
/// The one way the flows send a text: ACS in Azure, a table-backed sink locally. Safe to call again for the same
/// <see cref="SmsMessage.Id"/> (an activity replay): the first outcome is returned and nothing is sent twice.
/// </summary>
public interface ISmsSender
{
    Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken ct = default);
}
