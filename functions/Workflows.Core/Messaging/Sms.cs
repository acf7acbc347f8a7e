namespace Workflows.Messaging;

/// <summary>
/// One text message. <see cref="Id"/> comes from the message's own identity (case, step, recipient), so a
/// retried or replayed send is recognised as the same message and goes out once.
/// </summary>
public sealed record SmsMessage(string Id, string To, string Body, string Tag);

public sealed record SmsSendResult(bool Sent, string? ProviderMessageId = null, string? Error = null);

/// <summary>The one way the flows send a text: ACS in Azure, a table-backed sink locally.</summary>
public interface ISmsSender
{
    Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken ct = default);
}
