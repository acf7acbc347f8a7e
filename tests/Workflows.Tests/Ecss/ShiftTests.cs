using NodaTime;
using Workflows.Ecss;

namespace Workflows.Tests.Ecss;

/// <summary>ECSS shifts are 08:00-20:00 and 20:00-08:00 UK time, whatever the clocks do.</summary>
public sealed class ShiftTests
{
    private static Instant Utc(int y, int m, int d, int h, int min = 0) => Instant.FromUtc(y, m, d, h, min);

    [Fact]
    public void NightWhenTheClocksGoBackIsThirteenHours()
    {
        var night = new Shift(new LocalDate(2026, 10, 24), ShiftKind.Night);

        night.Start.Should().Be(Utc(2026, 10, 24, 19)); // 20:00 BST
        night.End.Should().Be(Utc(2026, 10, 25, 8));    // 08:00 GMT
        night.Length.Should().Be(Duration.FromHours(13));
    }

    [Fact]
    public void NightWhenTheClocksGoForwardIsElevenHours()
    {
        var night = new Shift(new LocalDate(2027, 3, 27), ShiftKind.Night);

        night.Start.Should().Be(Utc(2027, 3, 27, 20)); // 20:00 GMT
        night.End.Should().Be(Utc(2027, 3, 28, 7));    // 08:00 BST
        night.Length.Should().Be(Duration.FromHours(11));
    }

    [Fact]
    public void BothOneThirtiesOfTheRepeatedHourBelongToTheSameNight()
    {
        var first = Utc(2026, 10, 25, 0, 30);  // 01:30 BST
        var second = Utc(2026, 10, 25, 1, 30); // 01:30 GMT

        Shift.At(first).Key.Should().Be("2026-10-24-night");
        Shift.At(second).Key.Should().Be("2026-10-24-night");
    }

    [Fact]
    public void TheEarlyHoursBelongToThePreviousDaysNight()
    {
        Shift.At(Utc(2026, 11, 25, 7, 59)).Key.Should().Be("2026-11-24-night");
        Shift.At(Utc(2026, 11, 25, 8, 0)).Key.Should().Be("2026-11-25-day");
        Shift.At(Utc(2026, 7, 1, 7, 0)).Key.Should().Be("2026-07-01-day"); // 08:00 BST
        Shift.At(Utc(2026, 7, 1, 6, 59)).Key.Should().Be("2026-06-30-night");
        Shift.At(Utc(2026, 7, 1, 19, 0)).Key.Should().Be("2026-07-01-night"); // 20:00 BST
    }

    [Fact]
    public void ShiftsFollowEachOtherWithoutGaps()
    {
        var shift = Shift.At(Utc(2026, 10, 20, 12));
        for (var i = 0; i < 20; i++)
        {
            shift.Next.Start.Should().Be(shift.End);
            shift.Next.Previous.Should().Be(shift);
            Shift.At(shift.Start).Should().Be(shift);
            Shift.At(shift.End - Duration.FromSeconds(1)).Should().Be(shift);
            shift = shift.Next;
        }
    }

    [Fact]
    public void ShiftKeyRoundTrips()
    {
        var shift = new Shift(new LocalDate(2027, 3, 27), ShiftKind.Night);

        Shift.Parse(shift.Key).Should().Be(shift);
        Shift.Parse("2027-03-27-evening").Should().BeNull();
        Shift.Parse("2027-02-30-day").Should().BeNull();
    }

    [Fact]
    public void RotaPatternPutsAGroupOnEveryShiftInTurn()
    {
        var shift = new Shift(Roster.PatternAnchor, ShiftKind.Day);
        Roster.PatternGroup(shift, 3).Should().Be(0);
        Roster.PatternGroup(shift.Next, 3).Should().Be(1);
        Roster.PatternGroup(shift.Next.Next, 3).Should().Be(2);
        Roster.PatternGroup(shift.Next.Next.Next, 3).Should().Be(0);
        Roster.PatternGroup(shift.Previous, 3).Should().Be(2);
        Roster.PatternGroup(new Shift(new LocalDate(2020, 1, 1), ShiftKind.Night), 3).Should().BeInRange(0, 2);
    }
}
