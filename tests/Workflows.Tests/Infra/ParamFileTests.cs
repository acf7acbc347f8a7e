using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Workflows.Tests.Infra;

/// <summary>Each environment's parameter file builds against main.bicep and names its own task hub.</summary>
public sealed class ParamFileTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> Env = new()
    {
        ["ENTRA_CLIENT_ID"] = Bicep.TestEntraClientId, ["ALERT_EMAIL"] = "crisis-care-ops@example.nhs.uk",
        // Unset, whatever the shell running the tests holds.
        ["NHS111_FUNCTION_KEY"] = null, ["BARS_FUNCTION_KEY"] = null, ["WARDS_FUNCTION_KEY"] = null, ["EVENTGRID_FUNCTION_KEY"] = null,
        ["MONITORING_FUNCTION_KEY"] = null, ["CODE_PUBLISHED"] = null, ["SMS_SENDER_KIND"] = null,
    };

    [Theory]
    [InlineData("dev", "CrisisCareDev")]
    [InlineData("prod", "CrisisCareProd")]
    public void Param_file_builds(string environment, string taskHub)
    {
        var result = Bicep.Run(Env, "build-params", Path.Combine("infra", $"{environment}.bicepparam"), "--stdout");
        output.WriteLine($"bicep build-params {environment}: {result.Elapsed.TotalMilliseconds:F0} ms\n{result.StdErr}");
        result.ExitCode.Should().Be(0, result.StdErr);
        result.Diagnostics("Error").Should().BeEmpty();

        var parameters = JsonNode.Parse(JsonNode.Parse(result.StdOut)!["parametersJson"]!.ToString())!["parameters"]!;
        parameters["environmentName"]!["value"]!.ToString().Should().Be(environment);
        parameters["taskHubName"]!["value"]!.ToString().Should().Be(taskHub);
        parameters["entraClientId"]!["value"]!.ToString().Should().Be(Bicep.TestEntraClientId);
        // Secrets are never written in a param file: they come from the environment, empty by default.
        parameters["intakeSecret"]!["value"]!.ToString().Should().BeEmpty();
        parameters["codePublished"]!["value"]!.GetValue<bool>().Should().BeFalse();
        parameters["functionKeys"]!["value"]!.AsObject().Select(k => k.Value!.ToString()).Should().OnlyContain(v => v.Length == 0,
            "function keys come from the environment only on the deploy that sets them");
        parameters["alertEmail"]!["value"]!.ToString().Should().Be("crisis-care-ops@example.nhs.uk");
        parameters["smsSenderKind"]!["value"]!.ToString().Should().Be("uk-mobile");
    }

    [Fact]
    public void A_param_file_without_the_entra_client_id_does_not_build()
    {
        // Deploying without Entra would leave staff routes with no signed-in principal: fail early instead.
        var result = Bicep.Run(new Dictionary<string, string?>(Env) { ["ENTRA_CLIENT_ID"] = null },
            "build-params", Path.Combine("infra", "prod.bicepparam"), "--stdout");
        result.ExitCode.Should().NotBe(0);
        result.StdErr.Should().Contain("ENTRA_CLIENT_ID");
    }

    [Fact]
    public void A_param_file_without_the_alerts_mailbox_does_not_build()
    {
        // Alerts emailed to nobody are no alerts: fail the deploy before it starts.
        var result = Bicep.Run(new Dictionary<string, string?>(Env) { ["ALERT_EMAIL"] = null },
            "build-params", Path.Combine("infra", "prod.bicepparam"), "--stdout");
        result.ExitCode.Should().NotBe(0);
        result.StdErr.Should().Contain("ALERT_EMAIL");
    }
}
