namespace Workflows.Messaging;

/// <summary>
/// The link in a text that opens the page where its question (an HCA offer, a District Direct approval) is answered, signed
/// in: <c>{Sms__LinkBaseUrl}/api/pages/{page}?{parameter}={linkId}</c>. The link id (<see cref="ReplyCodes"/>) is random and
/// names nothing: no patient, no case, not the reply code; it opens nothing without the sign-in of the person the question
/// went to (hazard H46). <see cref="ByReply"/> says whether the text may also offer "Reply YES ..." (the sender takes replies).
/// </summary>
public sealed class AnswerLinks(string baseUrl, bool byReply)
{
    /// <summary>Where the local host listens by default (run-local.sh): the links of a Development run with no setting.</summary>
    public const string LocalDefault = "http://127.0.0.1:7071";

    /// <summary>Longest address a link may start with: a question with its code and its link must fit in two segments.</summary>
    public const int MaxBaseLength = 60;

    public bool ByReply => byReply;

    public string To(string page, string parameter, string linkId) => $"{baseUrl}/api/pages/{page}?{parameter}={linkId}";

    public static AnswerLinks From(SmsSettings settings, bool development) => new(BaseUrl(settings, development), settings.SenderCanReceiveReplies);

    /// <summary>The address links start with: the setting without a trailing slash, or the local default in Development.</summary>
    public static string BaseUrl(SmsSettings settings, bool development) =>
        settings.LinkBaseUrl.Trim().TrimEnd('/') is { Length: > 0 } url ? url : development ? LocalDefault : "";

    /// <summary>Why links made from the settings would not open on a phone, or null.</summary>
    public static string? Problem(SmsSettings settings, bool development)
    {
        var url = BaseUrl(settings, development);
        if (url.Length == 0)
            return "Sms__LinkBaseUrl is not set: set it to the app's https address (infra does), which starts the links staff answer offers and approvals from.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0 ||
            uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || !url.All(c => char.IsAsciiLetterOrDigit(c) || ":/.-_".Contains(c)))
            return "Sms__LinkBaseUrl is not a web address such as https://func-crisiscare-prod.azurewebsites.net (no query, no user, plain letters).";
        if (!development && uri.Scheme != "https")
            return "Sms__LinkBaseUrl must be https outside Development: staff sign in at the page it opens.";
        return url.Length > MaxBaseLength
            ? $"Sms__LinkBaseUrl is longer than {MaxBaseLength} characters: a question with its link must fit in two SMS segments."
            : null;
    }
}
