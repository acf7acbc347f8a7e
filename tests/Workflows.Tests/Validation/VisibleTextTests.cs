using Workflows.Validation;

namespace Workflows.Tests.Validation;

public sealed class VisibleTextTests
{
    [Theory]
    [InlineData("Mar\u200Bgaret", "Margaret")]
    [InlineData("\uFEFFClaire", "Claire")]
    [InlineData("Zo\u00AD\u00EB", "Zo\u00EB")]
    [InlineData("Pe\u200C\u200Dter\u2060", "Peter")]
    [InlineData("\u200EShira\u200F", "Shira")]
    [InlineData("Ann\U000E0041\U000E007F", "Ann")]
    public void InvisibleFormatCharactersAreRemoved(string written, string read) => VisibleText.WithoutInvisible(written).Should().Be(read);

    [Theory]
    [InlineData("Si\u00F4n O'Brien-Sm\u00EDth")]
    [InlineData("\u0645\u062D\u0645\u062F")]
    [InlineData("\u0926\u0947\u0935")]
    public void LettersOfAnyScriptAreKept(string name) => VisibleText.WithoutInvisible(name).Should().Be(name);

    [Theory]
    [InlineData('\u202A')]
    [InlineData('\u202B')]
    [InlineData('\u202C')]
    [InlineData('\u202D')]
    [InlineData('\u202E')]
    [InlineData('\u2066')]
    [InlineData('\u2067')]
    [InlineData('\u2068')]
    [InlineData('\u2069')]
    public void DirectionControlsAreFoundAndNeverQuietlyRemoved(char control)
    {
        var name = $"Margaret {control}htrowhsA";

        VisibleText.HasDirectionControl(name).Should().BeTrue();
        VisibleText.WithoutInvisible(name).Should().Contain(control.ToString());
    }
}
