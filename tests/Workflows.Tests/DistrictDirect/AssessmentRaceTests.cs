using System.Net;
using Workflows.DistrictDirect;
using static Workflows.Tests.DistrictDirect.Referrals;

namespace Workflows.Tests.DistrictDirect;

/// <summary>
/// An officer's assessment that lands while the referral's own steps write its row (other fields) is recorded, not
/// refused as "another officer recorded an assessment": a browser test met that 409 with one officer under load.
/// </summary>
public sealed class AssessmentRaceTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AnAssessmentWhileTheReferralsRowIsBeingWrittenIsRecordedOnce()
    {
        var id = await _host.ReferAsync();
        await _host.WaitForReferralAsync(id, r => Status(r) == "awaiting-assessment");
        var store = _host.Services.GetRequiredService<ReferralStore>();

        // Writes the row again and again for a second, as the referral's steps do, changing its ETag under the route.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var writes = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                if (await store.FindAsync(id) is { } row) await store.TryReplaceAsync(row);
        });
        var spend = await _host.AssessAsync(id, ("Key safe fitted", 8_500, "Safe Hands Locks"));
        await writes;

        spend.Should().HaveCount(1);
        var r = await _host.ReferralAsync(id);
        Status(r).Should().Be("awaiting-approval");
        r["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "assessed").Should().Be(1);
    }
}
