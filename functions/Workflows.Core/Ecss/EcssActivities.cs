using Azure;
using Azure.Data.Tables;
using Workflows.CareDirectory;
using Workflows.CrisisCare;
using Workflows.Messaging;
using Workflows.Storage;

namespace Workflows.Ecss;

/// <summary>
/// The effects of the ECSS part of a case: each writes the case row, its timeline and its texts, and is safe to run
/// twice (texts are keyed by step and recipient, timeline rows by step, offers by step).
/// </summary>
public sealed class EcssActivities(
    CaseStore cases, HcaOfferStore offers, CaseTimeline timeline, Roster roster, HcaClaims claims, ServiceDirectory directory,
    ISmsSender sms, SmsOptOuts optOuts, IReplyCodes replyCodes, AnswerLinks links, EcssSettings settings, CrisisCareSettings crisisSettings)
{
    public const string StartEcss = nameof(StartEcss);
    public const string PlanDispatch = nameof(PlanDispatch);
    public const string OfferCase = nameof(OfferCase);
    public const string AnswerOffer = nameof(AnswerOffer);
    public const string AssignHca = nameof(AssignHca);
    public const string EscalateUnfilled = nameof(EscalateUnfilled);
    public const string RecordVisit = nameof(RecordVisit);
    public const string RecordCheckIn = nameof(RecordCheckIn);
    public const string EscalateCheckIn = nameof(EscalateCheckIn);
    public const string EscalateOverLimit = nameof(EscalateOverLimit);
    public const string RecordPackage = nameof(RecordPackage);
    public const string HandOver = nameof(HandOver);
    public const string EndBridging = nameof(EndBridging);
    public const string ReleaseHolds = nameof(ReleaseHolds);
    public const string SignpostBereavement = nameof(SignpostBereavement);
    public const string FollowUpBereaved = nameof(FollowUpBereaved);
    public const string ReadCarerCase = nameof(ReadCarerCase);
    public const string AskCarer = nameof(AskCarer);
    public const string RecordCarerReply = nameof(RecordCarerReply);

    /// <summary>The ANP referred the case to ECSS: tell the family help is being arranged; fix the case's ECSS timers.</summary>
    public async Task<EcssTimings> StartEcssAsync(CaseStep step)
    {
        var timings = settings.Timings();
        await UpdateCaseAsync(step.CaseId, c => { c.EcssTeam = timings.Team; c.DispatchState = "starting"; });
        await TellFamilyAsync(step, "triaged", SmsTemplates.FamilyTriaged, "the ANP has triaged the call and help is being arranged");
        return timings;
    }

    /// <summary>The shift's HCAs in the order to offer them the case (see <see cref="HcaRanking"/>).</summary>
    public async Task<DispatchPlan> PlanDispatchAsync(DispatchPlanStep p)
    {
        var c = await CaseAsync(p.Step.CaseId);
        var shift = Shift.Parse(p.ShiftKey) ?? throw new ArgumentException($"Not a shift: {p.ShiftKey}");
        var onShift = await roster.OnShiftAsync(shift);
        var hcas = (await roster.HcasAsync()).ToDictionary(h => h.Id);
        var attending = await claims.AttendingAsync(p.Team);
        var open = await OpenCasesByHcaAsync(p.Team);
        var district = Validation.Postcode.District(c.Postcode);
        var candidates = onShift.HcaIds.Where(hcas.ContainsKey).Select(id => hcas[id])
            .Select(h => new HcaCandidate(h.Id, h.Phone, h.HomeDistrict, attending.ContainsKey(h.Id), open.GetValueOrDefault(h.Id)));
        var ranked = HcaRanking.Rank(candidates, district)
            .Select(r => new OfferedHca(r.HcaId, hcas[r.HcaId].Name, r.Phone, r.Distance)).ToList();

        await UpdateCaseAsync(p.Step.CaseId, c => { c.DispatchState = "offering"; c.DispatchRound = p.Round; c.NextOfferRoundAt = null; });
        var busy = onShift.HcaIds.Where(attending.ContainsKey).Select(Name(hcas)).ToList();
        var summary = ranked.Count == 0
            ? $"Round {p.Round} ({p.Reason}): nobody on the {Describe(shift)} can go now" +
              (busy.Count > 0 ? $" ({string.Join(", ", busy)} already attending a patient)." : " (no HCA rostered).")
            : $"Round {p.Round} ({p.Reason}): offering to the {Describe(shift)} in turn: {string.Join(", ", ranked.Select(h => h.Name))}." +
              (busy.Count > 0 ? $" Not offered, attending a patient: {string.Join(", ", busy)}." : "");
        await Log(p.Step, "dispatch-round", "system", summary);
        return new DispatchPlan(shift.Key, district, ranked);
    }

    /// <summary>
    /// Texts one HCA the offer with a reply code and the link that answers it; both are kept with the offer so a retry
    /// reuses them, and the link finds the offer again by its subject (<see cref="OfferAnswerEndpoints"/>).
    /// </summary>
    public async Task<string> OfferCaseAsync(OfferStep o)
    {
        var c = await CaseAsync(o.Step.CaseId);
        var offerId = o.Step.StepId;
        IssuedCode issued;
        if (await offers.FindAsync(o.Step.CaseId, offerId) is { } existing) issued = Issued(existing);
        else
        {
            issued = await replyCodes.IssueAsync(new ReplyRoute(o.DispatchId, HcaDispatchWorkflow.ReplyEvent), o.Hca.Phone, o.ExpiresAt,
                ReplyPurposes.HcaOffer, OfferAnswerEndpoints.Subject(o.Step.CaseId, offerId));
            // Insert, not upsert: when one offer step runs twice at once (a crashed host's run and its re-execution),
            // both text and return the first row's code, so the code the HCA reads is the one the dispatch waits for.
            if (!await offers.TryAddAsync(new TableEntity(o.Step.CaseId, offerId)
                {
                    ["HcaId"] = o.Hca.HcaId, ["HcaName"] = o.Hca.Name, ["Round"] = o.Round, ["OfferedAt"] = o.Step.At,
                    ["ExpiresAt"] = o.ExpiresAt, ["Code"] = issued.Code, ["LinkId"] = issued.LinkId, ["Outcome"] = HcaOfferStore.Offered,
                }))
            {
                var first = Issued((await offers.FindAsync(o.Step.CaseId, offerId))!);
                if (first.Code != issued.Code) await replyCodes.CloseAsync(issued.Code);
                issued = first;
            }
        }
        var code = issued.Code;
        var link = issued.LinkId is { } linkId ? links.To(OfferAnswerEndpoints.Page, OfferAnswerEndpoints.Parameter, linkId) : null;
        // Before the text: the HCA may open the case the moment it arrives, and may read it only while offered it.
        await UpdateCaseAsync(o.Step.CaseId, c => { c.OfferedTo = o.Hca.HcaId; c.OfferedAt = o.Step.At; });
        // An offer the carrier could not take is no offer: the step fails and is retried, then the case is parked.
        var sent = (await sms.SendAsync(new SmsMessage($"{o.Step.CaseId}-offer-{offerId}", o.Hca.Phone,
            SmsTemplates.HcaOffer(o.Hca.Name, c.Postcode, code, o.AnswerWithinMinutes, link, links.ByReply), o.Step.CaseId, SmsAudience.Staff,
            NotifyOnFailure: new ReplyRoute(o.DispatchId, HcaDispatchWorkflow.ReplyEvent)))).ThrowIfRetryable();
        // Says so when the text did not go (SMS not configured, the number refused), so nobody waits on a text never sent.
        await Log(o.Step, "hca-offered", "system", sent.Sent
            ? $"Offered to {o.Hca.Name} by SMS (round {o.Round}); answer due by {Clock(o.ExpiresAt)}."
            : $"Offer to {o.Hca.Name} (round {o.Round}) not sent by SMS: {sent.Error} Moves on at {Clock(o.ExpiresAt)} unless answered.");
        return code;
    }

    private static IssuedCode Issued(TableEntity offer) => new(offer.GetString("Code"), offer.GetString("LinkId"));

    /// <summary>
    /// Settles an offer and closes its code, so a late reply is answered politely and changes nothing. A YES is a
    /// claim on the HCA: true only when the claim succeeds; an HCA already attending another case is told so.
    /// </summary>
    public async Task<bool> AnswerOfferAsync(OfferAnswer a)
    {
        var outcome = a.Outcome;
        if (outcome == OfferOutcome.Accepted && !await claims.TryClaimAsync(a.Team, a.Hca.HcaId, a.Step.CaseId, a.Step.At))
            outcome = OfferOutcome.AlreadyAttending;
        await replyCodes.CloseAsync(a.Code);
        await offers.SettleAsync(a.Step.CaseId, a.OfferId, a.Hca.HcaId, outcome, a.Step.At);
        switch (outcome)
        {
            case OfferOutcome.Accepted:
                await sms.SendAsync(new SmsMessage($"{a.Step.CaseId}-accepted-{a.OfferId}", a.Hca.Phone,
                    SmsTemplates.HcaAccepted(a.Hca.Name, CaseActivities.ShortId(a.Step.CaseId)), a.Step.CaseId, SmsAudience.Staff));
                await Log(a.Step, "hca-accepted", a.Hca.Name, $"{a.Hca.Name} accepted the offer{FromLink(a)}.");
                return true;
            case OfferOutcome.AlreadyAttending:
                await sms.SendAsync(new SmsMessage($"{a.Step.CaseId}-busy-{a.OfferId}", a.Hca.Phone,
                    SmsTemplates.HcaAlreadyAttending(a.Hca.Name, a.Code), a.Step.CaseId, SmsAudience.Staff));
                await Log(a.Step, "hca-already-attending", a.Hca.Name,
                    $"{a.Hca.Name} said YES but is already attending another case; offering the next HCA.");
                return false;
            default:
                await Log(a.Step, $"offer-{outcome}", outcome == OfferOutcome.Declined ? a.Hca.Name : "system", outcome switch
                {
                    OfferOutcome.Declined => $"{a.Hca.Name} declined{FromLink(a)}.",
                    OfferOutcome.Unanswered => $"{a.Hca.Name} did not answer in time.",
                    OfferOutcome.Undelivered => $"The offer SMS to {a.Hca.Name} could not be delivered.",
                    _ => $"The offer to {a.Hca.Name} was withdrawn: the case no longer needs it.",
                });
                return false;
        }
    }

    private static string FromLink(OfferAnswer a) => a.FromLink ? " from the link in the text" : "";

    /// <summary>The HCA is the case's now: the case is bridged, and consented family hear when to expect them.</summary>
    public async Task<bool> AssignHcaAsync(AssignStep a)
    {
        await UpdateCaseAsync(a.Step.CaseId, c =>
        {
            c.Status = CaseStatus.Bridging;
            (c.AssignedHca, c.AssignedHcaName, c.EcssTeam) = (a.Hca.HcaId, a.Hca.Name, a.Team);
            (c.DispatchState, c.OfferedTo, c.OfferedAt, c.NextOfferRoundAt) = ("assigned", null, null, null);
            c.BridgingSince ??= a.Step.At;
            c.LastContactAt = a.Step.At;
        });
        var eta = a.Step.At + CountyAreas.TravelTime(a.Hca.Distance);
        await Log(a.Step, "hca-assigned", "system", $"{a.Hca.Name} is on the way; expected around {Clock(eta)}.");
        await TellFamilyAsync(a.Step, "on-the-way", n => SmsTemplates.FamilyHcaOnTheWay(n, eta), $"an HCA is on the way, expected around {Clock(eta)}");
        return true;
    }

    public async Task<bool> EscalateUnfilledAsync(UnfilledStep u)
    {
        await UpdateCaseAsync(u.Step.CaseId, c => { c.DispatchState = "unfilled"; c.OfferedTo = null; c.NextOfferRoundAt = u.RetryAt; });
        var told = await TellCoordinatorAsync($"{u.Step.CaseId}-unfilled-{u.Round}",
            SmsTemplates.CoordinatorNoHcaAccepted(CaseActivities.ShortId(u.Step.CaseId), u.Offered), u.Step.CaseId);
        await Log(u.Step, "dispatch-unfilled", "system",
            $"No HCA accepted in round {u.Round} ({u.Offered} offer(s)); offering again at {Clock(u.RetryAt)}.{told}");
        return true;
    }

    /// <summary>A visit done: the HCA is free for the next crisis, and the case's check-in clock restarts.</summary>
    public async Task<bool> RecordVisitAsync(VisitStep v)
    {
        var visit = v.Visit;
        await claims.ReleaseAsync(v.Team, visit.HcaId, v.Step.CaseId);
        await UpdateCaseAsync(v.Step.CaseId, c => c.LastContactAt = visit.LeftAt > v.Step.At ? v.Step.At : visit.LeftAt);
        await Log(v.Step, visit.Correction ? "visit-corrected" : "visit", visit.HcaName,
            $"{(visit.Correction ? "Visit corrected" : "Visit")} {Clock(visit.ArrivedAt)}-{Clock(visit.LeftAt)}: {string.Join(", ", visit.Care)}. {visit.Notes}".TrimEnd());
        return true;
    }

    public async Task<bool> RecordCheckInAsync(CheckInStep s)
    {
        await UpdateCaseAsync(s.Step.CaseId, c => c.LastContactAt = s.CheckIn.At);
        await Log(s.Step, "check-in", s.CheckIn.HcaName, $"Checked in. {s.CheckIn.Notes}".TrimEnd());
        return true;
    }

    public async Task<bool> EscalateCheckInAsync(CheckInOverdueStep s)
    {
        var overdue = (int)Math.Max(0, (s.Step.At - s.DueAt).TotalMinutes);
        var told = await TellCoordinatorAsync($"{s.Step.CaseId}-checkin-{s.Step.StepId}",
            SmsTemplates.CoordinatorBridgingCheckInOverdue(CaseActivities.ShortId(s.Step.CaseId), overdue), s.Step.CaseId);
        await Log(s.Step, "check-in-overdue", "system",
            $"No visit or check-in from the HCA{(s.HcaId is null ? "" : $" ({s.HcaId})")} since the one due by {Clock(s.DueAt)}.{told}");
        return true;
    }

    public async Task<bool> EscalateOverLimitAsync(OverLimitStep s)
    {
        var days = (int)Math.Ceiling((s.Step.At - s.BridgingSince).TotalDays);
        var limitDays = (int)Math.Ceiling(s.Limit.TotalDays);
        var told = await TellCoordinatorAsync($"{s.Step.CaseId}-overlimit-{s.Step.StepId}",
            SmsTemplates.CoordinatorBridgingBeyondLimit(CaseActivities.ShortId(s.Step.CaseId), days, limitDays), s.Step.CaseId);
        await Log(s.Step, "bridging-over-limit", "system",
            $"Bridged since {s.BridgingSince:yyyy-MM-dd HH:mm} UTC, past the {s.Limit.TotalHours:0.##}-hour limit: substantive care is needed.{told}");
        return true;
    }

    public async Task<bool> RecordPackageAsync(PackageStep s)
    {
        await UpdateCaseAsync(s.Step.CaseId, c => { c.PackageProvider = s.Package.Provider; c.PackageStartsAt = s.Package.StartsAt; });
        var when = s.Package.StartsAt <= s.Step.At ? "in place now" : $"starting {s.Package.StartsAt:yyyy-MM-dd} {Clock(s.Package.StartsAt)}; ECSS visits continue until then";
        await Log(s.Step, "package-arranged", s.Package.ByName, $"Substantive care by {s.Package.Provider}, {when}.");
        return true;
    }

    /// <summary>The case's HCA goes off shift: they are freed and the case goes back to dispatch for the incoming shift.</summary>
    public async Task<bool> HandOverAsync(HandoverStep h)
    {
        await claims.ReleaseAsync(h.Team, h.HcaId, h.Step.CaseId);
        var name = (await roster.FindHcaAsync(h.HcaId))?.Name ?? h.HcaId;
        await UpdateCaseAsync(h.Step.CaseId, c =>
        {
            if (c.AssignedHca != h.HcaId) return;
            (c.Status, c.AssignedHca, c.AssignedHcaName, c.DispatchState) = (CaseStatus.AwaitingHca, null, null, "handover");
        });
        var shift = Shift.Parse(h.ShiftKey);
        await Log(h.Step, "handover", "system",
            $"Shift handover: {name} goes off shift; offering the case to the {(shift is { } s ? Describe(s) : h.ShiftKey)}.");
        return true;
    }

    /// <summary>ECSS's part ends: the HCA is freed and open offers withdrawn; when care is in place the family is told.</summary>
    public async Task<bool> EndBridgingAsync(EndBridgingStep e)
    {
        await ReleaseAsync(e.Step.CaseId, e.Team, e.Step.At);
        await UpdateCaseAsync(e.Step.CaseId, c => { c.DispatchState = "ended"; c.NextOfferRoundAt = null; c.OfferedTo = null; });
        if (e.Reason == "package")
        {
            await Log(e.Step, "bridging-ended", "system", "Substantive care is in place: ECSS bridging has ended.");
            await TellFamilyAsync(e.Step, "care-in-place", SmsTemplates.FamilyCarePackageInPlace, "care is in place and ECSS visits have ended");
        }
        if (e.SignpostAt is { } at)
        {
            var consented = (await CaseAsync(e.Step.CaseId)).FamilyContacts.Count(f => f.SmsConsent);
            await Log(e.Step, "bereavement-signposting-planned", "system", part: "bereavement", summary: consented == 0
                ? "No family contact consented to texts: no bereavement message will be sent."
                : $"Bereavement support will be texted to {consented} consented family contact(s) at {Clock(at)} on {Local(at):yyyy-MM-dd}.");
        }
        return true;
    }

    /// <summary>
    /// A parked case lets go of what it holds: an HCA's claim on it (so they are offered cases again) and the reply codes
    /// of offers still open (a late YES gets the polite moved-on answer). On the timeline when it held anything.
    /// </summary>
    public async Task<bool> ReleaseHoldsAsync(HoldsStep h)
    {
        var (freed, withdrawn) = await ReleaseAsync(h.Step.CaseId, h.Team, h.Step.At);
        await UpdateCaseAsync(h.Step.CaseId, c =>
        {
            (c.OfferedTo, c.NextOfferRoundAt) = (null, null);
            if (c.DispatchState is not ("assigned" or "ended")) c.DispatchState = "stopped";
        });
        if (freed.Count > 0 || withdrawn > 0)
            await Log(h.Step, "holds-released", "system", string.Join(" ", new[]
            {
                freed.Count > 0 ? $"{string.Join(", ", freed)} released: free to be offered other cases." : null,
                withdrawn > 0 ? $"{withdrawn} open offer(s) withdrawn; their reply codes are closed." : null,
            }.OfType<string>()));
        return true;
    }

    /// <summary>Releases every HCA claim held for the case and closes the codes of its offers still open; says who and how many.</summary>
    private async Task<(List<string> Freed, int Withdrawn)> ReleaseAsync(string caseId, string team, DateTimeOffset at)
    {
        var freed = new List<string>();
        foreach (var (hcaId, heldFor) in await claims.AttendingAsync(team))
        {
            if (heldFor != caseId) continue;
            await claims.ReleaseAsync(team, hcaId, caseId);
            freed.Add((await roster.FindHcaAsync(hcaId))?.Name ?? hcaId);
        }
        var withdrawn = 0;
        await foreach (var o in offers.ForCaseAsync(caseId))
        {
            if (o.GetString("Outcome") != HcaOfferStore.Offered) continue;
            await replyCodes.CloseAsync(o.GetString("Code"));
            await offers.SettleAsync(caseId, o.RowKey, o.GetString("HcaId"), OfferOutcome.Withdrawn, at);
            withdrawn++;
        }
        return (freed, withdrawn);
    }

    /// <summary>The morning after a death: consented family contacts get one text signposting bereavement support.</summary>
    public async Task<bool> SignpostBereavementAsync(CaseStep step)
    {
        if (await directory.BereavementSupportAsync() is not { } service)
        {
            await Log(step, "bereavement-signposting", "system", "No bereavement service in the directory: nobody was texted.");
            return false;
        }
        await TellFamilyAsync(step, "bereavement", n => SmsTemplates.FamilyBereavement(n, service.Name, service.Referral.Contact),
            $"bereavement support signposted ({service.Name})", kind: "bereavement-signposting", keyBy: "bereavement");
        return true;
    }

    /// <summary>
    /// A follow-up after a death (<see cref="BereavementFollowUpWorkflow"/>): consented family contacts who have not
    /// replied STOP are texted the directory's bereavement support again. False, and nothing sent, when the case did not
    /// close as a death (another close got there first), so the follow-ups stop.
    /// </summary>
    public async Task<bool> FollowUpBereavedAsync(FollowUpStep f)
    {
        var c = await CaseAsync(f.Step.CaseId);
        if (c.CloseReason != CloseRequest.Died)
        {
            await Log(f.Step, "bereavement-follow-up", "system", $"No follow-up: the case closed as {c.CloseReason ?? "not yet closed"}, not a death.");
            return false;
        }
        if (await directory.BereavementSupportAsync() is not { } service)
        {
            await Log(f.Step, "bereavement-follow-up", "system", $"Follow-up {f.Number} of {f.Of}: no bereavement service in the directory, nobody was texted.");
            return true;
        }
        await TellFamilyAsync(f.Step, $"bereavement-follow-up-{f.Number}", n => SmsTemplates.FamilyBereavementFollowUp(n, service.Name, service.Referral.Contact),
            $"bereavement follow-up {f.Number} of {f.Of} ({service.Name})", kind: "bereavement-follow-up");
        return true;
    }

    /// <summary>Where the case stands, for the carer's check-ins to decide when the next goes.</summary>
    public async Task<CarerCaseState> ReadCarerCaseAsync(string caseId)
    {
        var c = await CaseAsync(caseId);
        return new CarerCaseState(c.Status, c.BridgingSince, c.CloseReason, c.ClosedAt);
    }

    /// <summary>
    /// Asks the carer (the first consented family contact who has not replied STOP) how they are coping, with a reply code
    /// open until <see cref="CarerAskStep.ExpiresAt"/>; null, and nobody texted, when there is nobody to ask.
    /// </summary>
    public async Task<string?> AskCarerAsync(CarerAskStep a)
    {
        var c = await CaseAsync(a.Step.CaseId);
        FamilyContact? carer = null;
        foreach (var f in c.FamilyContacts.Where(f => f.SmsConsent))
            if (!await optOuts.IsOptedOutAsync(f.Phone)) { carer = f; break; }
        if (carer is null)
        {
            await Log(a.Step, "carer-check-in", "system", $"Wellbeing check-in {a.Number}: no consented family contact to ask (none, or they replied STOP).");
            return null;
        }
        var route = new ReplyRoute(CarerCheckInWorkflow.InstanceId(a.Step.CaseId), CarerCheckInWorkflow.ReplyEvent);
        var issued = await replyCodes.IssueAsync(route, carer.Phone, a.ExpiresAt, ReplyPurposes.CarerCheckIn, $"{a.Step.CaseId}/carer-check-in-{a.Number}");
        await sms.SendAsync(new SmsMessage($"{a.Step.CaseId}-carer-check-in-{a.Number}-{carer.Phone.TrimStart('+')}", carer.Phone,
            SmsTemplates.CarerCheckIn(carer.Name, issued.Code), a.Step.CaseId, SmsAudience.Family));
        await Log(a.Step, "carer-check-in", "system",
            $"Wellbeing check-in {a.Number}: asked the {carer.Relationship} how they are coping (reply by {Clock(a.ExpiresAt)}).", part: "family");
        return issued.Code;
    }

    /// <summary>
    /// The carer's answer, on the timeline; a 1 or 2, or HELP, texts the coordinator at once with the case (a safety alert:
    /// never silenced by an opt-out). No answer in time is recorded as such.
    /// </summary>
    public async Task<bool> RecordCarerReplyAsync(CarerReplyStep r)
    {
        if (r.Answer is null)
        {
            // Closed, so the next check-in gets a code of its own and a late answer is told the check-in has closed.
            if (r.Code is not null) await replyCodes.CloseAsync(r.Code);
            await Log(r.Step, "carer-check-in-unanswered", "system", $"Wellbeing check-in {r.Number}: no reply.");
            return true;
        }
        var told = "";
        if (CarerCheckInWorkflow.Distress.Contains(r.Answer))
            told = await TellCoordinatorAsync($"{r.Step.CaseId}-carer-struggling-{r.Number}",
                SmsTemplates.CoordinatorCarerDistress(CaseActivities.ShortId(r.Step.CaseId), r.Answer), r.Step.CaseId);
        var said = r.Answer == SmsAnswers.Help ? "HELP: they asked to be called" : $"{r.Answer} of 5";
        await Log(r.Step, "carer-check-in-reply", "family", $"Wellbeing check-in {r.Number}: the carer replied {said}.{told}");
        return true;
    }

    /// <summary>
    /// Texts consented family contacts once per message kind (keyed by case, kind and phone). A contact who replied STOP
    /// is not texted (the sender would suppress it too) and the timeline says so, rather than claiming a text went (H16).
    /// </summary>
    private async Task TellFamilyAsync(CaseStep step, string message, Func<string, string> text, string what,
        string kind = "family-updated", string? keyBy = null)
    {
        var c = await CaseAsync(step.CaseId);
        var consented = c.FamilyContacts.Where(f => f.SmsConsent).ToList();
        var stopped = 0;
        foreach (var f in consented)
        {
            if (await optOuts.IsOptedOutAsync(f.Phone)) { stopped++; continue; }
            await sms.SendAsync(new SmsMessage($"{step.CaseId}-family-{keyBy ?? message}-{f.Phone.TrimStart('+')}", f.Phone, text(f.Name), step.CaseId, SmsAudience.Family));
        }
        var texted = consented.Count - stopped;
        var stops = stopped == 0 ? "" : $" {stopped} replied STOP and {(stopped == 1 ? "was" : "were")} not texted.";
        if (texted > 0)
            await Log(step, kind, "system", $"Texted {texted} consented family contact(s): {what}.{stops}", part: "family");
        else if (stopped > 0)
            await Log(step, kind, "system", $"Not texted ({what}): every consented family contact replied STOP.", part: "family-stopped");
    }

    private async Task<string> TellCoordinatorAsync(string messageId, string text, string caseId)
    {
        if (crisisSettings.CoordinatorPhone is not { } phone) return " No coordinator phone is configured.";
        var sent = (await sms.SendAsync(new SmsMessage(messageId, phone, text, caseId, SmsAudience.Staff, SafetyAlert: true))).ThrowIfRetryable();
        return sent.Sent ? " The coordinator has been sent an SMS." : $" The SMS to the coordinator was not sent ({sent.Error}).";
    }

    private async Task<Dictionary<string, int>> OpenCasesByHcaAsync(string team)
    {
        var counts = new Dictionary<string, int>();
        await foreach (var c in cases.BridgedAsync(team))
            if (c.AssignedHca is { } id) counts[id] = counts.GetValueOrDefault(id) + 1;
        return counts;
    }

    private Task<CaseRecord> CaseAsync(string caseId) => cases.GetAsync(caseId);

    private Task<CaseRecord> UpdateCaseAsync(string caseId, Action<CaseRecord> change) => cases.UpdateAsync(caseId, change);

    /// <summary>One timeline row per step and <paramref name="part"/>: a step that records two things keys the second apart.</summary>
    private Task Log(CaseStep step, string kind, string actor, string summary, string? part = null) =>
        timeline.AppendAsync(new TimelineEntry(step.CaseId, part is null ? step.StepId : $"{step.StepId}-{part}", step.At, kind, actor, summary));

    private static Func<string, string> Name(Dictionary<string, Hca> hcas) => id => hcas.TryGetValue(id, out var h) ? h.Name : id;

    internal static string Describe(Shift s) => $"{Shift.KindName(s.Kind)} shift of {s.Date:yyyy-MM-dd}";

    private static DateTime Local(DateTimeOffset at) =>
        NodaTime.Instant.FromDateTimeOffset(at).InZone(Shift.UkTime).LocalDateTime.ToDateTimeUnspecified();

    internal static string Clock(DateTimeOffset at) =>
        NodaTime.Instant.FromDateTimeOffset(at).InZone(Shift.UkTime).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
