using Azure.Data.Tables;
using Workflows.CrisisCare;
using Workflows.DistrictDirect;
using Workflows.Storage;

namespace Workflows.Tests.CrisisCare;

/// <summary>
/// The case and referral timelines on Azurite. A step run again after a crash comes with another episode time: it must
/// still be one row, and the story must read in the order things happened whatever the keys are (H17).
/// </summary>
public sealed class TimelineTests : IAsyncLifetime
{
    private TableStore _store = null!;
    private readonly DateTimeOffset _at = DateTimeOffset.UtcNow;

    public async Task InitializeAsync()
    {
        _store = new TableStore(new TableServiceClient((await Azurite.Shared).ConnectionString));
        await _store.EnsureTablesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task StepRunAgainAtAnotherTimeIsOneRowOnTheCaseTimeline()
    {
        var timeline = new CaseTimeline(_store);
        var caseId = CaseRecord.IdFor($"111-timeline-{Guid.NewGuid():N}");
        var step = StepIds.For(caseId, 2);

        await timeline.AppendAsync(new TimelineEntry(caseId, step, _at, "triaged", "Ann ANP", "Triaged by the ANP: advice."));
        await timeline.AppendAsync(new TimelineEntry(caseId, step, _at.AddSeconds(95), "triaged", "Ann ANP", "Triaged by the ANP: advice."));

        var story = await timeline.ReadAsync(caseId);
        story.Should().ContainSingle().Which.At.Should().Be(_at, "the first run of the step is the one recorded");
    }

    [Fact]
    public async Task StepRunAgainAtAnotherTimeIsOneRowOnTheReferralTimeline()
    {
        var timeline = new ReferralTimeline(_store);
        var referralId = $"RDH-{Guid.NewGuid():N}"[..20];
        var step = StepIds.For(ReferralRecord.InstanceIdFor(referralId), 1);

        await timeline.AppendAsync(new TimelineEntry(referralId, step, _at, "referral-received", "ward", "Referral from the ward."));
        await timeline.AppendAsync(new TimelineEntry(referralId, step, _at.AddSeconds(95), "referral-received", "ward", "Referral from the ward."));

        (await timeline.ReadAsync(referralId)).Should().ContainSingle();
    }

    [Fact]
    public async Task CaseStoryReadsInTheOrderThingsHappenedNotInKeyOrder()
    {
        var timeline = new CaseTimeline(_store);
        var caseId = CaseRecord.IdFor($"111-timeline-{Guid.NewGuid():N}");
        // Keys chosen so that key order is not time order: a dispatch round's step, a later case step, a route's own id.
        await timeline.AppendAsync(new TimelineEntry(caseId, StepIds.For(caseId, 12), _at.AddMinutes(3), "hca-assigned", "system", "On the way."));
        await timeline.AppendAsync(new TimelineEntry(caseId, StepIds.For(caseId, 12) + "-family", _at.AddMinutes(3), "family-updated", "system", "Texted."));
        await timeline.AppendAsync(new TimelineEntry(caseId, StepIds.For($"{caseId}-dispatch-1", 2), _at.AddMinutes(2), "hca-offered", "system", "Offered."));
        await timeline.AppendAsync(new TimelineEntry(caseId, StepIds.For(caseId, 9), _at.AddMinutes(1), "ecss-referred", "system", "Referred."));
        await timeline.AppendAsync(new TimelineEntry(caseId, "0a1b2c", _at.AddMinutes(4), "referral-updated", "NHS 111", "Updated."));

        (await timeline.ReadAsync(caseId)).Select(e => e.Kind).Should()
            .Equal("ecss-referred", "hca-offered", "hca-assigned", "family-updated", "referral-updated");
    }

    [Fact]
    public async Task ReferralStoryReadsInTheOrderThingsHappenedNotInKeyOrder()
    {
        var timeline = new ReferralTimeline(_store);
        var referralId = $"RDH-{Guid.NewGuid():N}"[..20];
        var instance = ReferralRecord.InstanceIdFor(referralId);
        await timeline.AppendAsync(new TimelineEntry(referralId, "discharged", _at.AddMinutes(3), "discharged", "Officer", "Home."));
        await timeline.AppendAsync(new TimelineEntry(referralId, "assessed", _at.AddMinutes(1), "assessed", "Officer", "Assessed."));
        await timeline.AppendAsync(new TimelineEntry(referralId, StepIds.For(instance, 1), _at, "referral-received", "ward", "Received."));
        await timeline.AppendAsync(new TimelineEntry(referralId, StepIds.For(instance, 2) + "-1", _at.AddMinutes(2), "approval-requested", "system", "Asked."));

        (await timeline.ReadAsync(referralId)).Select(e => e.Kind).Should()
            .Equal("referral-received", "assessed", "approval-requested", "discharged");
    }
}
