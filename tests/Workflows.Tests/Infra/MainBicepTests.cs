using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Workflows.Tests.Infra;

/// <summary>
/// infra/main.bicep compiles, lints clean, and deploys what the code needs: every setting of
/// local.settings.sample.json (read at run time, so a key added there and not here fails),
/// secrets only as Key Vault references, storage reached only through the managed identity.
/// </summary>
public sealed class MainBicepTests : IClassFixture<MainTemplateFixture>
{
    private readonly MainTemplateFixture _main;
    private readonly ITestOutputHelper _out;

    public MainBicepTests(MainTemplateFixture main, ITestOutputHelper output)
    {
        _main = main;
        _out = output;
    }

    private ArmTemplate Arm => _main.Arm;

    /// <summary>Settings that hold secrets: they must be Key Vault references in Azure.</summary>
    private static readonly string[] SecretSettings = ["Intake__Secret", "Intake__SecretPrevious", "Sms__ConnectionString"];

    /// <summary>Any sample key named like a secret is treated as one too, so a new one cannot slip in as plain text.</summary>
    private static readonly Regex LooksSecret = new(@"(Secret|SecretPrevious|ConnectionString|Password|ApiKey|AccessKey|Token)$", RegexOptions.IgnoreCase);

    private static IReadOnlyDictionary<string, string> SampleValues()
    {
        var path = Path.Combine(Bicep.RepoRoot, "local.settings.sample.json");
        var values = JsonNode.Parse(File.ReadAllText(path))!["Values"]!.AsObject();
        return values.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? "");
    }

    /// <summary>Sample keys that are set as-is in Azure (LocalHost__* are local only; three are set another way).</summary>
    private static IEnumerable<string> AzureKeysFromSample() => SampleValues().Keys
        .Where(k => !k.StartsWith("LocalHost__", StringComparison.Ordinal))
        .Where(k => k is not "AzureWebJobsStorage" and not "DataStorage" and not "FUNCTIONS_WORKER_RUNTIME");

    [Fact]
    public void Main_bicep_builds_without_errors_or_unknown_resource_types()
    {
        _out.WriteLine($"bicep build infra/main.bicep: {_main.Build.Elapsed.TotalMilliseconds:F0} ms, {_main.Build.StdOut.Length:N0} chars of ARM JSON, {Arm.Resources.Count} resources");
        _main.Build.ExitCode.Should().Be(0);
        _main.Build.Diagnostics("Error").Should().BeEmpty();
        // BCP081: an API version bicep has no types for, so nothing about it was validated.
        _main.Build.StdErr.Should().NotContain("BCP081");
    }

    [Fact]
    public void Lint_reports_no_errors()
    {
        var lint = Bicep.Run("lint", Path.Combine("infra", "main.bicep"));
        _out.WriteLine($"bicep lint: {lint.Elapsed.TotalMilliseconds:F0} ms\n{lint.StdErr}");
        lint.ExitCode.Should().Be(0, lint.StdErr);
        lint.Diagnostics("Error").Should().BeEmpty();
        lint.Diagnostics("Warning").Should().BeEmpty("warnings are cheap to fix while the template is small");
    }

    [Fact]
    public void Location_defaults_to_uksouth()
    {
        Arm.Root["parameters"]!["location"]!["defaultValue"]!.ToString().Should().Be("uksouth");
    }

    [Fact]
    public void Every_setting_the_code_reads_is_set_on_the_function_app()
    {
        var deployed = Arm.AppSettings;
        var missing = AzureKeysFromSample().Where(k => !deployed.ContainsKey(k)).ToList();
        missing.Should().BeEmpty(
            "every non-local key of local.settings.sample.json must be set by infra/main.bicep (add it to the appSettings variable); deployed: {0}",
            string.Join(", ", deployed.Keys.Order()));
    }

    [Fact]
    public void Local_host_only_settings_are_not_deployed()
    {
        Arm.AppSettings.Keys.Should().NotContain(k => k.StartsWith("LocalHost__"));
    }

    [Fact]
    public void Storage_is_reached_with_the_managed_identity_not_a_connection_string()
    {
        var s = Arm.AppSettings;
        s.Should().NotContainKey("AzureWebJobsStorage", "in Azure the identity-based AzureWebJobsStorage__* form replaces the connection string");
        s.Should().ContainKey("AzureWebJobsStorage__accountName");
        s["AzureWebJobsStorage__credential"].Should().Be("managedidentity");
        s["AzureWebJobsStorage__clientId"].Should().Contain("clientId", "the user-assigned identity's client id");
        s["AzureWebJobsStorage__tableServiceUri"].Should().Contain("tableEndpoint");
        // The app's data and the case-starts queue trigger's connection, in the same identity-based form.
        s.Should().NotContainKey("DataStorage");
        s["DataStorage__credential"].Should().Be("managedidentity");
        s["DataStorage__clientId"].Should().Contain("clientId");
        s["DataStorage__tableServiceUri"].Should().Contain("tableEndpoint");
        s["DataStorage__queueServiceUri"].Should().Contain("queueEndpoint");
    }

    [Fact]
    public void Worker_runtime_is_dotnet_isolated_10_on_flex_consumption()
    {
        var runtime = Arm.FunctionApp.Properties!["functionAppConfig"]!["runtime"]!;
        runtime["name"]!.ToString().Should().Be("dotnet-isolated");
        // The module receives the version as a parameter; main defaults it to 10.0.
        var version = runtime["version"]!.ToString();
        if (version.StartsWith('['))
            Arm.Root["parameters"]!["dotnetVersion"]!["defaultValue"]!.ToString().Should().Be("10.0");
        else
            version.Should().Be("10.0");
        // Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME as an app setting: it lives in functionAppConfig.
        Arm.AppSettings.Should().NotContainKey("FUNCTIONS_WORKER_RUNTIME");
        Arm.OfType("Microsoft.Web/serverfarms").Single().Json["sku"]!["tier"]!.ToString().Should().Be("FlexConsumption");
    }

    [Fact]
    public void Secrets_are_key_vault_references()
    {
        var deployed = Arm.AppSettings;
        var secretKeys = SecretSettings.Concat(AzureKeysFromSample().Where(k => LooksSecret.IsMatch(k))).Distinct();
        foreach (var key in secretKeys)
        {
            deployed.Should().ContainKey(key);
            deployed[key].Should().Contain("@Microsoft.KeyVault(SecretUri=", $"{key} holds a secret and must come from Key Vault");
        }
        // ...resolved with the user-assigned identity, which the site must name.
        Arm.FunctionApp.Properties!["keyVaultReferenceIdentity"].Should().NotBeNull();
    }

    [Fact]
    public void No_account_key_anywhere_in_the_template()
    {
        foreach (var (key, value) in Arm.AppSettings)
        {
            value.Should().NotContainEquivalentOf("AccountKey=", key);
            value.Should().NotContainEquivalentOf("accesskey=", key);
        }
        var json = _main.Build.StdOut;
        json.Should().NotContainEquivalentOf("AccountKey=");
        json.Should().NotContainEquivalentOf("accesskey=");
        // Nor a storage key fetched at deploy time.
        Regex.IsMatch(json, @"listKeys\([^)]*Microsoft\.Storage/storageAccounts", RegexOptions.IgnoreCase).Should().BeFalse();
        // And the account refuses shared keys outright.
        Arm.OfType("Microsoft.Storage/storageAccounts").Single().Properties!["allowSharedKeyAccess"]!.GetValue<bool>().Should().BeFalse();
    }

    [Theory]
    [InlineData("Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3")]
    [InlineData("Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88")]
    [InlineData("Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b")]
    [InlineData("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6")]
    public void The_managed_identity_is_granted(string role, string roleDefinitionGuid)
    {
        var assignments = Arm.OfType("Microsoft.Authorization/roleAssignments")
            .Where(r => r.Properties?["roleDefinitionId"]?.ToString().Contains(roleDefinitionGuid, StringComparison.OrdinalIgnoreCase) == true)
            .ToList();
        assignments.Should().ContainSingle($"one assignment of {role}");
        var props = assignments[0].Properties!;
        props["principalType"]!.ToString().Should().Be("ServicePrincipal");
        props["principalId"]!.ToString().Should().Contain("identityPrincipalId", "granted to the app's user-assigned identity");
    }

    [Fact]
    public void Event_grid_delivers_sms_events_to_the_app_only_when_asked()
    {
        var subscriptions = Arm.OfType("Microsoft.EventGrid/systemTopics/eventSubscriptions").ToList();
        subscriptions.Should().NotBeEmpty();
        foreach (var s in subscriptions)
            s.Condition.Should().Contain("deploySubscriptions", "the subscriptions need the app published first (two-step deploy)");

        // The routes may be a variable of the module that declares the subscriptions: read that module whole.
        var text = string.Join("\n", subscriptions.Select(s => s.Deployment?.ToJsonString() ?? s.Json.ToJsonString()).Distinct());
        text.Should().Contain("Microsoft.Communication.SMSReceived").And.Contain("api/sms/inbound");
        text.Should().Contain("Microsoft.Communication.SMSDeliveryReportReceived").And.Contain("api/sms/delivery");
        text.Should().Contain("?code=", "the webhook passes the function key as the code query");

        Arm.Root["parameters"]!["deployEventGridSubscriptions"]!["defaultValue"]!.GetValue<bool>().Should().BeFalse();
        Arm.OfType("Microsoft.EventGrid/systemTopics").Single().Properties!["topicType"]!.ToString()
            .Should().Be("Microsoft.Communication.CommunicationServices");
    }

    [Fact]
    public void Authentication_lets_machine_callers_through_and_uses_entra_id()
    {
        var auth = Arm.OfType("Microsoft.Web/sites/config").Single(r => r.Name.Contains("authsettingsV2"));
        var props = auth.Properties!;
        props["platform"]!["enabled"]!.GetValue<bool>().Should().BeTrue();
        props["globalValidation"]!["requireAuthentication"]!.GetValue<bool>().Should().BeFalse();
        props["globalValidation"]!["unauthenticatedClientAction"]!.ToString().Should().Be("AllowAnonymous");
        props["identityProviders"]!["azureActiveDirectory"]!["enabled"]!.GetValue<bool>().Should().BeTrue();
    }

    [Theory]
    [InlineData("Microsoft.Web/sites")]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices")]
    [InlineData("Microsoft.KeyVault/vaults")]
    [InlineData("Microsoft.Communication/communicationServices")]
    public void Diagnostics_go_to_log_analytics(string resourceType)
    {
        // A diagnostic setting is declared in the module beside the resource it watches, scoped to it.
        var settings = Arm.OfType("Microsoft.Insights/diagnosticSettings").ToList();
        var modulesWithTarget = Arm.Resources.Where(r => r.Type.Equals(resourceType, StringComparison.OrdinalIgnoreCase) && r.Json["existing"] is null)
            .Select(r => r.Deployment).ToHashSet();
        settings.Should().Contain(s => modulesWithTarget.Contains(s.Deployment)
                                       && s.Json["scope"]!.ToString().Contains(resourceType, StringComparison.OrdinalIgnoreCase)
                                       && s.Properties!["workspaceId"] != null);
    }

    [Fact]
    public void Application_insights_is_workspace_based()
    {
        var ai = Arm.OfType("Microsoft.Insights/components").Single().Properties!;
        ai["WorkspaceResourceId"].Should().NotBeNull();
        ai["IngestionMode"]!.ToString().Should().Be("LogAnalytics");
        Arm.AppSettings.Should().ContainKey("APPLICATIONINSIGHTS_CONNECTION_STRING");
    }

    [Fact]
    public void Host_json_takes_the_task_hub_from_the_environment()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.RepoRoot, "host.json")))!;
        host["extensions"]!["durableTask"]!["hubName"]!.ToString().Should().Be("%TaskHubName%");
        Arm.AppSettings.Should().ContainKey("TaskHubName");
    }
}
