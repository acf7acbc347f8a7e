using NodaTime;
using Workflows.Ecss;

namespace Workflows.Tests.Ecss;

/// <summary>A bereaved family hears about support at 09:00 UK time the next morning, never in the small hours.</summary>
public sealed class BereavementSignpostingTests
{
    private static DateTimeOffset Utc(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    [Fact]
    public void DeathInTheSmallHoursInWinterIsSignpostedAtNineThatMorning() =>
        BereavementSignposting.NextMorning(Utc(2026, 11, 25, 3)).Should().Be(Utc(2026, 11, 25, 9));

    [Fact]
    public void DeathInTheSmallHoursInSummerIsSignpostedAtNineBritishSummerTime() =>
        BereavementSignposting.NextMorning(Utc(2026, 7, 1, 2)).Should().Be(Utc(2026, 7, 1, 8)); // 03:00 BST -> 09:00 BST

    [Fact]
    public void DeathInTheAfternoonIsSignpostedTheNextMorning() =>
        BereavementSignposting.NextMorning(Utc(2026, 11, 24, 14)).Should().Be(Utc(2026, 11, 25, 9));

    [Fact]
    public void DeathLateOnTheEveningTheClocksGoBackIsSignpostedAtNineGmt() =>
        BereavementSignposting.NextMorning(Utc(2026, 10, 24, 22, 30)).Should().Be(Utc(2026, 10, 25, 9)); // 23:30 BST -> 09:00 GMT

    [Fact]
    public void DeathInTheNightTheClocksGoForwardIsSignpostedAtNineBst() =>
        BereavementSignposting.NextMorning(Utc(2027, 3, 28, 1, 30)).Should().Be(Utc(2027, 3, 28, 8)); // 02:30 BST -> 09:00 BST

    [Fact]
    public void SignpostingIsAlwaysAtNineLocalAndWithinADayAndAHalf()
    {
        var zone = Shift.UkTime;
        for (var at = Utc(2026, 10, 20, 0); at < Utc(2026, 11, 2, 0); at = at.AddMinutes(37))
        {
            var sendAt = BereavementSignposting.NextMorning(at);
            Instant.FromDateTimeOffset(sendAt).InZone(zone).TimeOfDay.Should().Be(new LocalTime(9, 0));
            (sendAt - at).Should().BePositive().And.BeLessThan(TimeSpan.FromHours(33));
        }
    }
}
