using System.Runtime.Serialization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.Messaging;

public static class ReplyPurposes
{
    public const string HcaOffer = "hca-offer";
    public const string DdApproval = "dd-approval";
    public const string CarerCheckIn = "carer-check-in";

    /// <summary>The answers a purpose takes; other purposes take any answer and leave it to their flow.</summary>
    public static IReadOnlyCollection<string> AnswersFor(string purpose) => purpose switch
    {
        HcaOffer => [SmsAnswers.Yes, SmsAnswers.No],
        DdApproval => [SmsAnswers.Approve, SmsAnswers.Reject],
        CarerCheckIn => [.. SmsAnswers.Scores, SmsAnswers.Help],
        _ => [SmsAnswers.Yes, SmsAnswers.No, SmsAnswers.Approve, SmsAnswers.Reject],
    };
}

public static class ReplyCodeStatus
{
    public const string Open = "open";
    public const string Answered = "answered";
    public const string Closed = "closed";
    /// <summary>Not stored: an open code past its time (<see cref="ReplyCodeRecord.StateAt"/>).</summary>
    public const string Expired = "expired";
}

/// <summary>A code issued for a question, and the id of the link that answers it too (null only for codes issued before links).</summary>
public sealed record IssuedCode(string Code, string? LinkId);

/// <summary>A reply code as stored in the ReplyCodes table (PartitionKey = the code).</summary>
public sealed class ReplyCodeRecord : ITableEntity
{
    public const string Row = "code";

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    [IgnoreDataMember] public string Code => PartitionKey;
    public string InstanceId { get; set; } = "";
    public string EventName { get; set; } = "";
    public string Phone { get; set; } = "";
    public string Purpose { get; set; } = "";
    /// <summary>What the question is about, in its flow's own terms (an offer's row, a spend request): the link routes find it by this.</summary>
    public string? Subject { get; set; }
    /// <summary>The id in the question's link (<see cref="AnswerLinks"/>): random, and only ever this code's.</summary>
    public string? LinkId { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string Status { get; set; } = ReplyCodeStatus.Open;
    public string? Answer { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    [IgnoreDataMember] public ReplyRoute Route => new(InstanceId, EventName);

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>open, answered, closed, or expired (open but past its time).</summary>
    public string StateAt(DateTimeOffset now) => Status == ReplyCodeStatus.Open && IsExpired(now) ? ReplyCodeStatus.Expired : Status;

    /// <summary>Closed or expired long enough ago that no late reply can still be meant for it.</summary>
    public bool IsRetired(DateTimeOffset now, TimeSpan retired)
    {
        var ended = ClosedAt ?? AnsweredAt ?? ExpiresAt;
        return (ended > ExpiresAt ? ended : ExpiresAt) + retired <= now;
    }
}

/// <summary>
/// Short reply codes in Table Storage. A code is unique among codes not yet retired; issuing again for the same
/// question (an activity replay) returns the same code, so one question never has two live codes.
/// A code is as long as its life needs (<see cref="LengthFor"/>): a phone gets <see cref="SmsSettings.ReplyAttemptLimit"/>
/// wrong codes before it is ignored for <see cref="SmsSettings.ReplyLockout"/> (<see cref="ReplyAttempts"/>), so the
/// odds of guessing a code in its life stay under one in a million: a 10-minute HCA offer is 5 characters, a 24-hour
/// District Direct approval 6 (hazard H31). Codes issued shorter before keep working until they close.
/// Each code has a link id too (<see cref="AnswerLinks"/>), which a signed-in person answers from instead of a reply; it
/// is as long as no guess needs to be, since it opens nothing without the right sign-in (hazard H46).
/// </summary>
public sealed class ReplyCodes(TableStore store, SmsSettings settings, TimeProvider time) : IReplyCodes
{
    // No 0/O, 1/I/L, 2/Z, 5/S, 8/B: codes are read off a phone screen and typed back.
    private const string Letters = "ACDEFGHJKMNPQRTUVWXY";
    private const string Digits = "34679";
    private const string RouteRow = "route";
    private const string LinkRow = "link";
    private const string LinkAlphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>Characters of a link id: 110 random bits in lower-case base32, safe in a URL and in GSM-7.</summary>
    public const int LinkIdLength = 22;

    /// <summary>The most a guesser may have of guessing one code in its life (one in a million).</summary>
    public const double AcceptedGuessOdds = 1e-6;

    private TableClient Table => store.Table(TableNames.ReplyCodes);

    public async Task<IssuedCode> IssueAsync(ReplyRoute route, string phone, DateTimeOffset expiresAt, string purpose, string subject,
        CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var routeKey = RouteKey(route, phone);
        var index = await Table.GetEntityIfExistsAsync<TableEntity>(routeKey, RouteRow, cancellationToken: ct);
        // Only a code that can still be answered: an expired one still open (a question asked on the same route before,
        // such as last week's check-in nobody answered) would hand this question a code every answer to is refused.
        if (index.HasValue && await FindAsync(index.Value!.GetString("Code"), ct) is { } existing &&
            existing.StateAt(now) == ReplyCodeStatus.Open && existing.InstanceId == route.InstanceId &&
            existing.EventName == route.EventName && existing.Phone == phone && existing.Purpose == purpose)
            return new IssuedCode(existing.Code, existing.LinkId);

        for (var attempt = 0; attempt < 50; attempt++)
        {
            var record = new ReplyCodeRecord
            {
                PartitionKey = NewCode(LengthFor(expiresAt - now)),
                InstanceId = route.InstanceId, EventName = route.EventName, Phone = phone, Purpose = purpose, Subject = subject,
                LinkId = NewLinkId(), IssuedAt = now, ExpiresAt = expiresAt,
            };
            if (!await TryTakeAsync(record, now, ct)) continue;
            // The link's row before the route's: a question found again by its route always has its link.
            await Table.UpsertEntityAsync(new TableEntity(LinkKey(record.LinkId), LinkRow) { ["Code"] = record.Code }, TableUpdateMode.Replace, ct);
            await Table.UpsertEntityAsync(new TableEntity(routeKey, RouteRow) { ["Code"] = record.Code }, TableUpdateMode.Replace, ct);
            return new IssuedCode(record.Code, record.LinkId);
        }
        throw new InvalidOperationException("No free reply code after 50 tries.");
    }

    /// <summary>The shortest code (4 to 8 characters) whose <see cref="GuessOdds"/> over <paramref name="life"/> are acceptable.</summary>
    public int LengthFor(TimeSpan life)
    {
        for (var length = 4; length < 8; length++)
            if (GuessOdds(life, length) <= AcceptedGuessOdds) return length;
        return 8;
    }

    /// <summary>
    /// The chance that one phone, sending as many wrong codes as the attempt limit lets it (the limit, then a lockout,
    /// again and again), hits a code of <paramref name="length"/> open for <paramref name="life"/>.
    /// </summary>
    public double GuessOdds(TimeSpan life, int length)
    {
        var guesses = settings.ReplyAttemptLimit * (Math.Floor(Math.Max(life.Ticks, 0) / (double)settings.ReplyLockout.Ticks) + 1);
        return guesses / CodesOf(length);
    }

    /// <summary>Codes of a length: every string of the alphabet but those with no digit or no letter.</summary>
    private static double CodesOf(int length) =>
        Math.Pow(Letters.Length + Digits.Length, length) - Math.Pow(Letters.Length, length) - Math.Pow(Digits.Length, length);

    public async Task CloseAsync(string code, CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var record = await FindAsync(code, ct);
            if (record is null || record.Status == ReplyCodeStatus.Closed) return;
            record.Status = ReplyCodeStatus.Closed;
            record.ClosedAt = time.GetUtcNow();
            try { await Table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, ct); return; }
            catch (RequestFailedException e) when (e.IsPreconditionFailed()) { }
        }
    }

    public async Task<ReplyCodeRecord?> FindAsync(string code, CancellationToken ct = default)
    {
        var key = Normalise(code);
        if (key is null) return null;
        var r = await Table.GetEntityIfExistsAsync<ReplyCodeRecord>(key, ReplyCodeRecord.Row, cancellationToken: ct);
        return r.HasValue ? r.Value : null;
    }

    /// <summary>
    /// The code a link id answers, or null: not a link id, unknown, or a link of a code since retired and issued again
    /// (each issue gets a new link id, so an old link never answers the new question).
    /// </summary>
    public async Task<ReplyCodeRecord?> FindByLinkAsync(string linkId, CancellationToken ct = default)
    {
        if (linkId.Length != LinkIdLength || !linkId.All(LinkAlphabet.Contains)) return null;
        var index = await Table.GetEntityIfExistsAsync<TableEntity>(LinkKey(linkId), LinkRow, cancellationToken: ct);
        if (!index.HasValue) return null;
        var record = await FindAsync(index.Value!.GetString("Code"), ct);
        return record?.LinkId == linkId ? record : null;
    }

    /// <summary>The open code for a question to a phone, if any (an undelivered offer names its code).</summary>
    public async Task<string?> FindOpenAsync(ReplyRoute route, string phone, CancellationToken ct = default)
    {
        var index = await Table.GetEntityIfExistsAsync<TableEntity>(RouteKey(route, phone), RouteRow, cancellationToken: ct);
        if (!index.HasValue) return null;
        var record = await FindAsync(index.Value!.GetString("Code"), ct);
        return record is { Status: ReplyCodeStatus.Open } && record.InstanceId == route.InstanceId && record.EventName == route.EventName
            ? record.Code : null;
    }

    /// <summary>Records the first answer to an open code; false when someone else got there first.</summary>
    public async Task<bool> TryAnswerAsync(ReplyCodeRecord record, string answer, DateTimeOffset at, CancellationToken ct = default)
    {
        record.Status = ReplyCodeStatus.Answered;
        record.Answer = answer;
        record.AnsweredAt = at;
        try { await Table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, ct); return true; }
        catch (RequestFailedException e) when (e.IsPreconditionFailed()) { return false; }
    }

    /// <summary>Puts an answer back when it could not be passed on, so the redelivered reply is applied.</summary>
    public async Task ReopenAsync(string code, CancellationToken ct = default)
    {
        if (await FindAsync(code, ct) is not { Status: ReplyCodeStatus.Answered } record) return;
        record.Status = ReplyCodeStatus.Open;
        record.Answer = null;
        record.AnsweredAt = null;
        try { await Table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, ct); }
        catch (RequestFailedException e) when (e.IsPreconditionFailed()) { }
    }

    private async Task<bool> TryTakeAsync(ReplyCodeRecord record, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await Table.AddEntityAsync(record, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.IsConflict())
        {
            var old = await FindAsync(record.Code, ct);
            if (old is null || !old.IsRetired(now, TimeSpan.FromDays(settings.ReplyCodeRetiredDays))) return false;
            try
            {
                await Table.UpdateEntityAsync(record, old.ETag, TableUpdateMode.Replace, ct);
                return true;
            }
            catch (RequestFailedException x) when (x.IsPreconditionFailed()) { return false; }
        }
    }

    /// <summary>A code the way people type it back: trimmed, upper case, letters and digits only.</summary>
    public static string? Normalise(string? code)
    {
        var s = code?.Trim().ToUpperInvariant();
        return string.IsNullOrEmpty(s) || s.Length > 12 || !s.All(char.IsAsciiLetterOrDigit) ? null : s;
    }

    /// <summary>A code with at least one letter and one digit, so it never spells a word.</summary>
    private static string NewCode(int length)
    {
        while (true)
        {
            var alphabet = Letters + Digits;
            var chars = new char[length];
            for (var i = 0; i < length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            if (chars.Any(char.IsAsciiDigit) && chars.Any(char.IsAsciiLetter)) return new string(chars);
        }
    }

    private static string NewLinkId() =>
        new(Enumerable.Range(0, LinkIdLength).Select(_ => LinkAlphabet[RandomNumberGenerator.GetInt32(LinkAlphabet.Length)]).ToArray());

    private static string LinkKey(string linkId) => "link-" + linkId;

    private static string RouteKey(ReplyRoute route, string phone) =>
        "route-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{route.InstanceId}\n{route.EventName}\n{phone}")))[..32];
}
