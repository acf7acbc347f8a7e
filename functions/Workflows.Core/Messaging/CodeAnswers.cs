using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Workflows.Messaging;

public enum AnswerOutcome { Applied, AlreadyAnswered, Closed, Expired, NotAnAnswer }

/// <summary>
/// The one way an answer reaches the question a reply code stands for, whether it came as a text ("YES K7QD") or from the
/// link in the text: the code takes one answer, only while open and unexpired and only one its purpose fits, and the
/// answer is raised on the code's route. The code's ETag makes the first answer the only one: of a reply and a tap at the
/// same moment, or two taps, one is applied and the other finds it answered. Who may answer is for the caller to check
/// first: the code's own phone for a text (<see cref="SmsInbox"/>), the flow's rule for a signed-in person.
/// </summary>
public sealed class CodeAnswers(ReplyCodes codes, ILogger<CodeAnswers> log)
{
    public async Task<AnswerOutcome> AnswerAsync(ReplyCodeRecord record, SmsReply reply, DurableTaskClient client, CancellationToken ct = default)
    {
        var outcome = record.Status == ReplyCodeStatus.Answered ? AnswerOutcome.AlreadyAnswered
            : record.Status == ReplyCodeStatus.Closed ? AnswerOutcome.Closed
            : record.IsExpired(reply.At) ? AnswerOutcome.Expired
            : !ReplyPurposes.AnswersFor(record.Purpose).Contains(reply.Answer) ? AnswerOutcome.NotAnAnswer
            : !await codes.TryAnswerAsync(record, reply.Answer, reply.At, ct) ? AnswerOutcome.AlreadyAnswered
            : AnswerOutcome.Applied;
        if (outcome != AnswerOutcome.Applied)
        {
            log.LogInformation("Answer {Answer} to code {Code} ({Channel}) not applied: {Outcome}", reply.Answer, record.Code, Channel(reply), outcome);
            return outcome;
        }
        try
        {
            await client.RaiseEventAsync(record.InstanceId, record.EventName, reply, ct);
        }
        catch
        {
            await codes.ReopenAsync(record.Code, CancellationToken.None);
            throw;
        }
        log.LogInformation("Answer {Answer} to code {Code} ({Channel}) raised as {EventName} on {InstanceId}",
            reply.Answer, record.Code, Channel(reply), record.EventName, record.InstanceId);
        return AnswerOutcome.Applied;
    }

    private static string Channel(SmsReply reply) => reply.By is null ? "text" : "link";
}
