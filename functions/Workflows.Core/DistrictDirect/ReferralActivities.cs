using Workflows.Storage;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflows.CareDirectory;
using Workflows.Http;
using Workflows.Messaging;
using Workflows.Validation;
using Workflows.Operations;

namespace Workflows.DistrictDirect;

/// <summary>A housing or homelessness service linked for a homeless patient, with how to refer.</summary>
public sealed record HousingSupport(string ServiceId, string Name, ReferralRoute Referral, string? Area);

/// <summary>The effects of a referral: each writes the referral row and its timeline, and is safe to run twice.</summary>
public sealed class ReferralActivities(
    ReferralStore referrals, ReferralTimeline timeline, FundLedger ledger, DistrictDirectRegister register,
    ServiceDirectory directory, ApprovalRules rules, ISmsSender sms, IServiceProvider services, ILogger<ReferralActivities> log)
{
    public const string OpenReferral = nameof(OpenReferral);
    public const string RecordDutyToRefer = nameof(RecordDutyToRefer);
    public const string EscalateAssessment = nameof(EscalateAssessment);
    public const string RequestApprovals = nameof(RequestApprovals);
    public const string EscalateApprovals = nameof(EscalateApprovals);
    public const string DecideBySms = nameof(DecideBySms);
    public const string CloseApprovalCodes = nameof(CloseApprovalCodes);
    public const string CompleteApprovals = nameof(CompleteApprovals);
    public const string ParkReferral = nameof(ParkReferral);

    /// <summary>How long an SMS approval code stays open; after that the app is the way to decide.</summary>
    private static readonly TimeSpan ApprovalCodeLifetime = TimeSpan.FromHours(24);

    // Messaging's reply codes and links, when that part is registered; without them approval texts point to the app.
    private IReplyCodes? ReplyCodes => services.GetService<IReplyCodes>();
    private AnswerLinks? Links => services.GetService<AnswerLinks>();

    public async Task<bool> OpenReferralAsync(ReferralStep step)
    {
        var r = await Referral(step);
        var hospital = await register.HospitalAsync(r.Hospital);
        var officers = (await register.OfficersAsync()).Where(o => o.Hospital == r.Hospital && !o.IsManager).ToList();
        await sms.SendEachAsync(officers.Select(o => new SmsMessage($"{step.StepId}-{o.Id}", o.Phone,
            DistrictDirectTexts.NewReferral(r.ReferralId, hospital?.Name ?? r.Hospital, r.Source, r.FitForDischargeAt), r.InstanceId, SmsAudience.Staff)));
        var other = r.OtherBlocker is null ? "" : $" ({r.OtherBlocker})";
        await Log(step, "referral-received", r.Source,
            $"Referral from the {r.Source} at {hospital?.Name ?? r.Hospital}: {string.Join(", ", r.BlockerList)}{other}; fit for discharge {r.FitForDischargeAt:yyyy-MM-dd HH:mm}. {officers.Count} officer(s) told by SMS.");
        return true;
    }

    /// <summary>
    /// The Homelessness Reduction Act 2017 duty to refer (s.213B): the housing authority is the one for the patient's
    /// postcode district, else the one for the hospital's district; the officer makes the referral with the patient's
    /// consent. Housing and homelessness services covering that district are linked from the directory.
    /// </summary>
    public async Task<bool> RecordDutyToReferAsync(ReferralStep step)
    {
        var r = await Referral(step);
        var district = Postcode.District(r.Postcode);
        var authorities = await register.AuthoritiesAsync();
        var authority = authorities.FirstOrDefault(a => a.PostcodeDistricts.Contains(district, StringComparer.OrdinalIgnoreCase));
        var basis = "the patient's postcode district " + district;
        if (authority is null && await register.HospitalAsync(r.Hospital) is { } hospital)
        {
            authority = authorities.FirstOrDefault(a => a.Id == hospital.HousingAuthority);
            basis = $"the hospital's district ({hospital.Name}); {district} is not in a seeded district";
        }
        var support = (await directory.AllAsync())
            .Where(s => s.Needs.Any(n => Needs.Housing.Contains(n)) && ServiceArea.Covers(s.Area, district))
            .OrderBy(s => s.AlwaysOpen).ThenBy(s => s.Name)
            .Select(s => new HousingSupport(s.Id, s.Name, s.Referral, s.Area)).ToList();

        await referrals.ChangeAsync(r.ReferralId, x =>
        {
            x.HousingAuthority = authority?.Id;
            x.HousingAuthorityName = authority?.Name;
            x.DutyToReferAt ??= step.At;
            x.HousingSupportJson = JsonSerializer.Serialize(support, Json.Options);
            return Task.CompletedTask;
        });
        var to = authority is null
            ? "No housing authority is seeded for this district: refer to the patient's chosen authority directly."
            : $"Refer to {authority.Name} ({authority.ReferralMethod}: {authority.ReferralContact}), chosen from {basis}, with the patient's consent.";
        var linked = support.Count == 0 ? "No housing services in the directory cover this district." : "Support linked: " + string.Join("; ", support.Select(s => s.Name)) + ".";
        await Log(step, "duty-to-refer", "system", $"Homeless at discharge: duty to refer (Homelessness Reduction Act 2017). {to} {linked}");
        return true;
    }

    public async Task<bool> EscalateAssessmentAsync(EscalationStep e)
    {
        var r = await Referral(e.Step);
        if (r.Status != ReferralStatus.AwaitingAssessment) return true;
        var hospital = await register.HospitalAsync(r.Hospital);
        var told = await TellManagersAsync(e.Step, r, DistrictDirectTexts.AssessmentOverdue(r.ReferralId, hospital?.Name ?? r.Hospital, e.MinutesDue));
        await referrals.ChangeAsync(r.ReferralId, x => { x.AssessmentEscalatedAt ??= e.Step.At; return Task.CompletedTask; });
        await Log(e.Step, "assessment-overdue", "system", $"Not assessed within {e.MinutesDue} minutes of the referral: escalated to the manager. {told}");
        return true;
    }

    /// <summary>
    /// Texts each pending request to whoever may approve it: the assessing officer while the referral stays within
    /// their limit, otherwise the hospital's manager, with a reply code and the link that answers it signed in. Both are
    /// kept on the request, so a retry sends the same ones, and the link finds the request by its code's subject.
    /// </summary>
    public async Task<List<ApprovalAsk>> RequestApprovalsAsync(ApprovalStep a)
    {
        var r = await Referral(a.Step);
        var all = await ledger.ForReferralAsync(a.FundYear, r.ReferralId);
        var officer = await register.OfficerAsync(a.OfficerId);
        var managers = await ManagersAsync(r.Hospital);
        var withinLimit = ApprovalRules.ApprovedPence(all);
        var asks = new List<ApprovalAsk>();
        foreach (var request in all.Where(x => a.SpendRequestIds.Contains(x.Id) && x.Status == SpendStatus.Pending))
        {
            Officer? approver = managers.FirstOrDefault();
            if (officer is not null && !officer.IsManager && withinLimit + request.AmountPence <= rules.OfficerLimitPence(officer))
            {
                approver = officer;
                withinLimit += request.AmountPence;
            }
            else if (officer is { IsManager: true }) approver = officer;

            var (code, linkId) = (request.ApprovalCode, request.ApprovalLinkId);
            if (approver is not null)
            {
                var route = new ReplyRoute(r.InstanceId, DischargeReferralWorkflow.ApprovalReplyEventFor(request.Id));
                if (code is null && ReplyCodes is { } codes)
                {
                    var issued = await codes.IssueAsync(route, approver.Phone, a.Step.At + ApprovalCodeLifetime, ReplyPurposes.DdApproval, request.Id);
                    var noted = await ledger.NoteApprovalCodeAsync(request.Id, issued, approver.Id);
                    (code, linkId) = noted?.ApprovalCode is { } first ? (first, noted.ApprovalLinkId) : (issued.Code, issued.LinkId);
                }
                var link = linkId is not null && Links is { } links ? links.To(ApprovalAnswerEndpoints.Page, ApprovalAnswerEndpoints.Parameter, linkId) : null;
                (await sms.SendAsync(new SmsMessage($"{r.InstanceId}-approval-{request.Id}", approver.Phone,
                    code is null ? DistrictDirectTexts.ApprovalRequestInApp(r.ReferralId, request)
                                 : SmsTemplates.OfficerApprovalRequest(approver.Name, request.AmountPence, r.ReferralId, code, link, Links?.ByReply ?? true),
                    r.InstanceId, SmsAudience.Staff, NotifyOnFailure: code is null ? null : route))).ThrowIfRetryable();
            }
            asks.Add(new ApprovalAsk(request.Id, code));
            await Log(a.Step with { StepId = $"{a.Step.StepId}-{request.Number}" }, "approval-requested", "system",
                $"Spend request {request.Id} ({request.Item}, {DistrictDirectTexts.Money(request.AmountPence)}, {request.Supplier}) " +
                (approver is null ? "awaits a decision in the app (no approver with a phone is registered)." : $"sent to {approver.Name} ({approver.Role}) for approval by SMS."));
        }
        return asks;
    }

    public async Task<bool> EscalateApprovalsAsync(EscalationStep e)
    {
        var r = await Referral(e.Step);
        var pending = (await ledger.ForReferralAsync(r.FundYear!, r.ReferralId))
            .Where(x => e.SpendRequestIds.Contains(x.Id) && x.Status == SpendStatus.Pending).ToList();
        if (pending.Count == 0) return true;
        var hospital = await register.HospitalAsync(r.Hospital);
        var told = await TellManagersAsync(e.Step, r,
            DistrictDirectTexts.ApprovalsOverdue(r.ReferralId, hospital?.Name ?? r.Hospital, pending.Count, pending.Sum(x => x.AmountPence)));
        await referrals.ChangeAsync(r.ReferralId, x => { x.ApprovalEscalatedAt ??= e.Step.At; return Task.CompletedTask; });
        await Log(e.Step, "approval-overdue", "system",
            $"{pending.Count} spend request(s) undecided at the end of the working day ({string.Join(", ", pending.Select(p => p.Id))}): escalated to the manager. {told}");
        return true;
    }

    /// <summary>
    /// An APPROVE or REJECT to the approval text, by reply or from its link: counts only from a registered officer's or
    /// manager's phone (a reply) or sign-in (the link), the approver asked or a manager, within an officer's limit, and
    /// when the fund covers it. True when the request is now decided; the approver is told either way.
    /// </summary>
    public async Task<bool> DecideBySmsAsync(SmsDecisionStep d)
    {
        var request = await ledger.FindAsync(d.SpendRequestId);
        if (request is null) return false;
        var answer = d.Reply.Answer.ToUpperInvariant();
        if (answer == SmsAnswers.Undelivered)
        {
            await Log(d.Step, "approval-sms-undelivered", "system", $"The approval text for {request.Id} was not delivered: decide in the app.");
            return false;
        }
        var byLink = d.Reply.By is not null;
        var (via, how) = byLink ? ("link", "from the link in the text") : ("sms", "by SMS reply");
        var approver = byLink ? await register.ApproverAsync(d.Reply.By!) : await register.OfficerByPhoneAsync(d.Reply.From);
        // Decided already, unless by this answer on an earlier try of this step: then the ledger answers AlreadyPosted and the
        // spend, the confirmation and the timeline row that try did not finish are finished now.
        if (request.Status != SpendStatus.Pending && !(request.DecidedVia == via && request.DecidedBy == approver?.Id)) return true;
        if (approver is null || (!approver.IsManager && request.ApproverId is not null && approver.Id != request.ApproverId))
        {
            await Log(d.Step, "approval-reply-ignored", "system", byLink
                ? $"An answer for {request.Id} came from someone who is neither its approver nor a manager; nothing changed."
                : $"A reply for {request.Id} came from a phone not registered to its approver; nothing changed.");
            return false;
        }

        if (answer == SmsAnswers.Reject)
        {
            var rejected = await ledger.RejectAsync(request.Id, approver.Id, approver.Name, via, byLink ? "Rejected from the link in the text." : "Rejected by SMS reply.", d.Reply.At);
            await Reply(d, approver, SmsTemplates.OfficerDecisionConfirmed(approver.Name, request.AmountPence, request.ReferralId, approved: false));
            await Log(d.Step, "spend-rejected", approver.Name, $"Spend request {request.Id} rejected {how}.");
            return rejected.Result is PostingResult.Posted or PostingResult.AlreadyPosted or PostingResult.WrongState;
        }
        if (answer != SmsAnswers.Approve) return false;

        var limit = approver.IsManager ? (long?)null : rules.OfficerLimitPence(approver);
        var posting = await ledger.CommitAsync(request.Id, approver.Id, approver.Name, via, d.Reply.At, limit);
        switch (posting.Result)
        {
            case PostingResult.Posted or PostingResult.AlreadyPosted:
                await referrals.RefreshSpendAsync(request.ReferralId);
                await Reply(d, approver, SmsTemplates.OfficerDecisionConfirmed(approver.Name, request.AmountPence, request.ReferralId, approved: true));
                await Log(d.Step, "spend-approved", approver.Name,
                    $"Spend request {request.Id} approved {how}: {DistrictDirectTexts.Money(request.AmountPence)} committed; fund available {DistrictDirectTexts.Money(posting.Fund!.AvailablePence)}.");
                return true;
            case PostingResult.Insufficient:
                await Reply(d, approver, DistrictDirectTexts.FundShort(request, posting.Fund!.AvailablePence));
                await Log(d.Step, "approval-refused", approver.Name,
                    $"Approval of {request.Id} {how} refused: the fund has {DistrictDirectTexts.Money(posting.Fund.AvailablePence)} available.");
                return false;
            case PostingResult.OverLimit:
                await Reply(d, approver, DistrictDirectTexts.NeedsManager(request, limit!.Value));
                await Log(d.Step, "approval-refused", approver.Name, $"Approval of {request.Id} {how} refused: above the officer's limit, a manager must approve.");
                return false;
            case PostingResult.WrongState:
                return true;
            case PostingResult.NoFund:
                await Reply(d, approver, SmsTemplates.OfficerNoFundYear(approver.Name, request.AmountPence, request.ReferralId, FundYear.StartYear(request.FundYear)));
                await Log(d.Step, "approval-refused", approver.Name,
                    $"Approval of {request.Id} {how} refused: no {request.FundYear} fund is open. A District Direct manager must open the year first.");
                return false;
            default:
                return false;
        }
    }

    public async Task<bool> CloseApprovalCodesAsync(CodesStep c)
    {
        if (ReplyCodes is { } codes)
            foreach (var code in c.Codes) await codes.CloseAsync(code);
        return true;
    }

    public async Task<bool> CompleteApprovalsAsync(ReferralStep step)
    {
        var r = await referrals.ChangeAsync(step.ReferralId, x =>
        {
            if (x.Status == ReferralStatus.AwaitingApproval) x.Status = ReferralStatus.AwaitingDischarge;
            return Task.CompletedTask;
        });
        var refreshed = await referrals.RefreshSpendAsync(r.ReferralId);
        await Log(step, "approvals-complete", "system",
            $"Every spend request is decided; the referral's fund spend is {DistrictDirectTexts.Money(refreshed.SpendPence)}. Works can go ahead; the patient can go home when they are done.");
        return true;
    }

    /// <summary>
    /// Parks a referral whose step kept failing: flagged on the referral and in the officers' work list, and the
    /// hospital's managers texted. The stage is kept, so the referral can be carried on by hand in the app.
    /// </summary>
    public async Task<bool> ParkReferralAsync(ParkStep p)
    {
        var reason = $"{p.FailedStep} kept failing: {(p.Error.Length > 300 ? p.Error[..300] : p.Error)}";
        var r = await referrals.ChangeAsync(p.Step.ReferralId, x =>
        {
            (x.AttentionReason, x.AttentionAt) = (reason, p.Step.At);
            return Task.CompletedTask;
        });
        log.LogError(AlertEvents.ReferralNeedsAttention, "Referral {ReferralId} needs attention: step {Step} kept failing", r.ReferralId, p.FailedStep);
        string told;
        // Never fails the parking: the flag is already where officers look, and SMS may be what is down.
        try
        {
            var hospital = await register.HospitalAsync(r.Hospital);
            var managers = await ManagersAsync(r.Hospital);
            var sent = new List<string>();
            foreach (var m in managers)
                if ((await sms.SendAsync(new SmsMessage($"{p.Step.StepId}-{m.Id}", m.Phone,
                        DistrictDirectTexts.ReferralNeedsAttention(r.ReferralId, hospital?.Name ?? r.Hospital), r.InstanceId, SmsAudience.Staff, SafetyAlert: true))).Sent)
                    sent.Add(m.Name);
            told = managers.Count == 0 ? " No manager is registered to text: check the work list."
                : sent.Count == managers.Count ? $" {string.Join(", ", sent)} sent an SMS."
                : $" The SMS to the manager could not be sent to {managers.Count - sent.Count} of {managers.Count}: check the work list.";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            told = $" The SMS to the manager could not be sent ({e.GetType().Name}).";
        }
        await Log(p.Step, "needs-attention", "system", $"Parked for a person to take over. {reason}.{told}");
        return true;
    }

    private async Task<string> TellManagersAsync(ReferralStep step, ReferralRecord r, string text)
    {
        var managers = await ManagersAsync(r.Hospital);
        await sms.SendEachAsync(managers.Select(m => new SmsMessage($"{step.StepId}-{m.Id}", m.Phone, text, r.InstanceId, SmsAudience.Staff, SafetyAlert: true)));
        return managers.Count == 0 ? "No manager is registered to text." : $"{string.Join(", ", managers.Select(m => m.Name))} sent an SMS.";
    }

    /// <summary>The hospital's managers, else every manager of the scheme.</summary>
    private async Task<IReadOnlyList<Officer>> ManagersAsync(string hospital)
    {
        var managers = (await register.OfficersAsync()).Where(o => o.IsManager).ToList();
        var own = managers.Where(m => m.Hospital == hospital).ToList();
        return own.Count > 0 ? own : managers;
    }

    /// <summary>Tells the approver what became of their answer; one who answered from the link with no work phone saw it on the page.</summary>
    private async Task Reply(SmsDecisionStep d, Officer to, string text)
    {
        if (to.Phone.Length == 0) return;
        (await sms.SendAsync(new SmsMessage($"{d.Step.StepId}-reply", to.Phone, text, ReferralRecord.InstanceIdFor(d.Step.ReferralId), SmsAudience.Staff))).ThrowIfRetryable();
    }

    private async Task<ReferralRecord> Referral(ReferralStep step) =>
        await referrals.FindAsync(step.ReferralId) ?? throw new InvalidOperationException($"Referral {step.ReferralId} has no row.");

    private Task Log(ReferralStep step, string kind, string actor, string summary) =>
        timeline.AppendAsync(new TimelineEntry(step.ReferralId, step.StepId, step.At, kind, actor, summary));
}
