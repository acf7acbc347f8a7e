using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Workflows.CrisisCare;
using Workflows.Http;
using Workflows.Messaging;
using Workflows.Storage;

namespace Workflows.Ecss;

/// <summary>
/// An HCA answering an offer on the HCA page: the link in the offer text opens <c>hca.html?offer={offerId}</c>, and the
/// page lists the offers open to them. <c>{offerId}</c> is the offer's link id (<see cref="ReplyCodes"/>): it names nothing,
/// and only the HCA the offer went to, signed in, may read or answer it. An answer goes the way a text reply goes
/// (<see cref="CodeAnswers"/>: the offer's reply code takes one answer, raised on the dispatch that waits for it), so the
/// dispatch, the timeline and the texts that follow are the same, and of a reply and a tap only one counts.
/// </summary>
public sealed class OfferAnswerEndpoints(TableStore store, ReplyCodes codes, CodeAnswers answers, TimeProvider time)
{
    /// <summary>The page and query parameter the offer text's link opens.</summary>
    public const string Page = "hca.html", Parameter = "offer";

    public static readonly string[] Answers = ["accept", "decline"];

    /// <summary>The subject of an offer's code: the offer's row (case, offer step), which a link id leads back to.</summary>
    public static string Subject(string caseId, string offerId) => $"{caseId}/{offerId}";

    /// <summary>GET /api/ecss/offers/{offerId}: the offer as the HCA sees it before accepting (postcode only) and where it stands.</summary>
    public async Task<IResult> Offer(HttpRequest request, string offerId)
    {
        var (hca, denied) = StaffPrincipal.Require(request, Roles.Hca);
        if (denied is not null) return denied;
        var (offer, refused) = await FindAsync(offerId, hca!);
        if (refused is not null) return refused;
        var (code, row, postcode) = offer!.Value;
        return Results.Json(new
        {
            offerId, caseId = row.PartitionKey, postcode, offeredAt = row.GetDateTimeOffset("OfferedAt"), expiresAt = code.ExpiresAt,
            state = code.StateAt(time.GetUtcNow()),
            answer = code.Answer switch { SmsAnswers.Yes => "accept", SmsAnswers.No => "decline", _ => null },
            outcome = row.GetString("Outcome"),
        }, Json.Options);
    }

    /// <summary>POST /api/ecss/offers/{offerId}/answer <c>{"answer":"accept"|"decline"}</c>: 202 once the dispatch has the answer.</summary>
    public async Task<IResult> Answer(HttpRequest request, string offerId, DurableTaskClient client)
    {
        var (hca, denied) = StaffPrincipal.Require(request, Roles.Hca);
        if (denied is not null) return denied;
        var (body, problem) = await RequestBody.ReadJsonAsync(request);
        if (problem is not null) return problem;
        var f = new FieldReader(body);
        var answer = f.OneOf("answer", Answers);
        if (!f.IsValid) return Problems.Validation(f.Errors);
        var (offer, refused) = await FindAsync(offerId, hca!);
        if (refused is not null) return refused;

        var code = offer!.Value.Code;
        var reply = new SmsReply(code.Code, answer == "accept" ? SmsAnswers.Yes : SmsAnswers.No, "", time.GetUtcNow(), hca!.UserId);
        return await answers.AnswerAsync(code, reply, client, request.HttpContext.RequestAborted) switch
        {
            AnswerOutcome.Applied => Results.Json(new { offerId, answer, statusUrl = $"/api/ecss/offers/{offerId}" }, Json.Options,
                statusCode: StatusCodes.Status202Accepted),
            AnswerOutcome.Expired => Problems.Conflict("Offer expired",
                $"This offer was open until {EcssActivities.Clock(code.ExpiresAt)} and has moved on to a colleague. There is nothing more to do."),
            AnswerOutcome.Closed => Problems.Conflict("Offer closed",
                "This offer has closed: the visit is covered or no longer needed. There is nothing more to do."),
            // Answered already: by a text reply, on another device, or a moment ago.
            _ => Problems.Conflict("Offer already answered", (await codes.FindAsync(code.Code))?.Answer switch
            {
                SmsAnswers.Yes => "You have already accepted this offer. The case shows on this page once it is yours.",
                SmsAnswers.No => "You have already declined this offer.",
                _ => "This offer has already been answered.",
            }),
        };
    }

    /// <summary>The offer a link id leads to, if it went to <paramref name="hca"/>; else the problem to answer with.</summary>
    private async Task<((ReplyCodeRecord Code, TableEntity Row, string Postcode)? Offer, IResult? Problem)> FindAsync(string offerId, StaffPrincipal hca)
    {
        var missing = Problems.NotFound("There is no such offer: check the link, or open the HCA page for the offers open to you.");
        if (await codes.FindByLinkAsync(offerId) is not { Purpose: ReplyPurposes.HcaOffer, Subject: { } subject } code ||
            subject.Split('/') is not [var caseId, var rowKey])
            return (null, missing);
        var row = await store.Table(TableNames.HcaOffers).GetEntityIfExistsAsync<TableEntity>(caseId, rowKey);
        if (!row.HasValue) return (null, missing);
        // A link forwarded, or opened on a colleague's phone, answers nothing (hazard H45).
        if (row.Value!.GetString("HcaId") != hca.UserId)
            return (null, Problems.Forbidden("This offer was sent to another HCA: only they can answer it. The offers sent to you are on the HCA page."));
        var c = await store.Table(TableNames.Cases).GetEntityIfExistsAsync<CaseRecord>(caseId, CaseRecord.Row);
        return ((code, row.Value, c.HasValue ? c.Value!.Postcode : ""), null);
    }
}
