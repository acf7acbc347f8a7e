namespace Workflows.Messaging;

/// <summary>What an inbound text says: STOP, START, an answer with its code ("YES K7QD", a carer's "2 K7QD"), or nothing we act on.</summary>
public sealed record SmsReplyText(SmsReplyText.Kinds Kind, string? Answer = null, string? Code = null)
{
    public enum Kinds { Other, Stop, Start, Answer }

    private static readonly string[] StopWords = ["STOP", "STOPALL", "UNSUBSCRIBE"];
    private static readonly string[] StartWords = ["START", "UNSTOP"];
    private static readonly string[] Answers = [SmsAnswers.Yes, SmsAnswers.No, SmsAnswers.Approve, SmsAnswers.Reject, .. SmsAnswers.Scores, SmsAnswers.Help];
    private static readonly char[] Separators = [' ', '\t', '\r', '\n', ',', ';', ':', '.', '!', '-'];

    /// <summary>Case-insensitive; spaces and punctuation around and between the words are tolerated.</summary>
    public static SmsReplyText Parse(string? text)
    {
        var words = (text ?? "").ToUpperInvariant().Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 1 && StopWords.Contains(words[0])) return new(Kinds.Stop);
        if (words.Length == 1 && StartWords.Contains(words[0])) return new(Kinds.Start);
        if (words.Length == 2 && Answers.Contains(words[0]) && ReplyCodes.Normalise(words[1]) is { } code)
            return new(Kinds.Answer, words[0], code);
        return new(Kinds.Other);
    }
}
