using Workflows.Validation;

namespace Workflows.Tests.Validation;

public sealed class NhsNumberTests
{
    [Theory]
    [InlineData("9990079196")]
    [InlineData("9434765919")]
    [InlineData("999 007 9196")]
    public void APatientsNumberIsValid(string number) => NhsNumber.IsValid(number.Replace(" ", "")).Should().BeTrue();

    /// <summary>All ten pass Modulus 11 (the check digit of ddddddddd is d): only the placeholder rule stops them.</summary>
    [Theory]
    [InlineData("0000000000")]
    [InlineData("1111111111")]
    [InlineData("2222222222")]
    [InlineData("3333333333")]
    [InlineData("4444444444")]
    [InlineData("5555555555")]
    [InlineData("6666666666")]
    [InlineData("7777777777")]
    [InlineData("8888888888")]
    [InlineData("9999999999")]
    [InlineData("0123456789")]
    [InlineData("9876543210")]
    public void APlaceholderThatPassesTheCheckDigitIsRefusedAsAPlaceholder(string number)
    {
        NhsNumber.IsValid(number).Should().BeFalse();
        NhsNumber.Problem(number).Should().Contain("placeholder");
    }

    [Theory]
    [InlineData("9990079197")]
    [InlineData("999007919")]
    [InlineData("99900791960")]
    [InlineData("999007919x")]
    [InlineData("1234567890")]
    public void ANumberThatFailsItsCheckDigitSaysSo(string number) => NhsNumber.Problem(number).Should().Contain("Modulus 11");
}
