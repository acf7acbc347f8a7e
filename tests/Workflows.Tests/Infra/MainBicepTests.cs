using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Messaging;
using Workflows.Operations;
using Workflows.Tests.Hosting;
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
    private static readonly Regex LooksSecret = new(@"(Secret|SecretPrevious|ConnectionString|Password|ApiKey|AccessKey|PrivateKey|Token)$", RegexOptions.IgnoreCase);

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
    public void Event_grid_delivers_sms_events_to_the_app_with_its_own_key_once_the_code_is_published()
    {
        var subscriptions = Arm.OfType("Microsoft.EventGrid/systemTopics/eventSubscriptions").ToList();
        subscriptions.Should().NotBeEmpty();
        foreach (var s in subscriptions)
            s.Condition.Should().Contain("deploySubscriptions", "the subscriptions need the app published first (two-step deploy)");
        Arm.ModuleParameter("eventgrid", "deploySubscriptions")!.ToString().Should().Contain("codePublished");
        Arm.Root["parameters"]!["codePublished"]!["defaultValue"]!.GetValue<bool>().Should().BeFalse();

        // The routes may be a variable of the module that declares the subscriptions: read that module whole.
        var text = string.Join("\n", subscriptions.Select(s => s.Deployment?.ToJsonString() ?? s.Json.ToJsonString()).Distinct());
        text.Should().Contain("Microsoft.Communication.SMSReceived").And.Contain("api/sms/inbound");
        text.Should().Contain("Microsoft.Communication.SMSDeliveryReportReceived").And.Contain("api/sms/delivery");
        text.Should().Contain("?code=", "the webhook passes the function key as the code query");
        // Event Grid's own named key on each SMS function, never the host's default key that opens every function.
        text.Should().Contain("Microsoft.Web/sites/functions").And.Contain("functionKeyName");
        Arm.ModuleParameter("eventgrid", "functionKeyName")!.ToString().Should().Be("eventgrid");
        var routed = Arm.ModuleVariable("eventgrid", "routes")!.AsArray().Select(r => r!["function"]!.ToString()).ToList();
        routed.Should().BeEquivalentTo(Caller("eventgrid").Functions, "Event Grid calls only the functions its key is set on");

        Arm.OfType("Microsoft.EventGrid/systemTopics").Single().Properties!["topicType"]!.ToString()
            .Should().Be("Microsoft.Communication.CommunicationServices");
    }

    /// <summary>The paths excluded from sign-in: the machine callers', each keeping its function key.</summary>
    private static readonly string[] MachinePaths =
        ["/api/intake/111", "/api/intake/bars/$process-message", "/api/intake/bars/metadata", "/api/district-direct/referrals", "/api/sms/inbound", "/api/sms/delivery", "/api/health"];

    private sealed record MachineCaller(string Name, IReadOnlyList<string> Functions, IReadOnlyList<string> Paths);

    private IReadOnlyList<MachineCaller> Callers() => Arm.Root["variables"]!["machineCallers"]!.AsArray()
        .Select(c => new MachineCaller(c!["caller"]!.ToString(),
            c["functions"]!.AsArray().Select(f => f!.ToString()).ToList(), c["paths"]!.AsArray().Select(p => p!.ToString()).ToList()))
        .ToList();

    private MachineCaller Caller(string name) => Callers().Single(c => c.Name == name);

    [Fact]
    public void Staff_must_sign_in_with_entra_id_everywhere_but_the_machine_paths()
    {
        var auth = Arm.OfType("Microsoft.Web/sites/config").Single(r => r.Name.Contains("authsettingsV2")).Properties!;
        auth["platform"]!["enabled"]!.GetValue<bool>().Should().BeTrue();
        auth["identityProviders"]!["azureActiveDirectory"]!["enabled"]!.GetValue<bool>().Should().BeTrue();
        var validation = auth["globalValidation"]!;
        validation["requireAuthentication"]!.GetValue<bool>().Should().BeTrue("staff pages and routes need a signed-in person");
        // A page load without a session goes to the Entra sign-in; the pages' API calls send X-Requested-With and get 401.
        validation["unauthenticatedClientAction"]!.ToString().Should().Be("RedirectToLoginPage");
        validation["redirectToProvider"]!.ToString().Should().Be("azureactivedirectory");
        // The tokens never reach the browser (/.auth/me would hand them to any script on the page).
        auth["login"]!["tokenStore"]!["enabled"]!.GetValue<bool>().Should().BeFalse();

        validation["excludedPaths"]!.ToString().Should().Contain("parameters('machinePaths')");
        Arm.ModuleParameter("functionapp", "machinePaths")!.ToString().Should().Contain("machineCallers").And.Contain("paths");
        var excluded = Callers().SelectMany(c => c.Paths).ToList();
        excluded.Should().BeEquivalentTo(MachinePaths);
        // Paths are matched as written: a wildcard would let a whole subtree through unsigned.
        excluded.Should().OnlyContain(p => p.StartsWith("/api/") && !p.Contains('*') && !p.EndsWith('/'));
    }

    [Fact]
    public void Every_path_let_through_unsigned_is_a_function_that_needs_its_callers_key()
    {
        var http = FunctionsMetadataTests.Functions()
            .Select(f => (Name: f["name"]!.GetValue<string>(), Binding: f["bindings"]!.AsArray().FirstOrDefault(b => b!["type"]!.GetValue<string>() == "httpTrigger")))
            .Where(f => f.Binding is not null)
            .ToDictionary(f => f.Name, f => (Path: "/api/" + f.Binding!["route"]!.GetValue<string>(), Auth: f.Binding["authLevel"]!.GetValue<string>()));

        foreach (var caller in Callers())
            foreach (var function in caller.Functions)
            {
                http.Should().ContainKey(function, $"{caller.Name}'s key is set on {function}");
                http[function].Auth.Should().Be("Function", $"{function} is let through unsigned, so it must need a key");
                caller.Paths.Should().Contain(http[function].Path, $"{function} is called by {caller.Name}");
            }

        // Any other function on an excluded path is reached without sign-in, so the app must check its principal:
        // only the staff list of referrals, which shares the wards' path.
        var machineFunctions = Callers().SelectMany(c => c.Functions).ToHashSet();
        http.Where(f => MachinePaths.Contains(f.Value.Path) && !machineFunctions.Contains(f.Key)).Select(f => f.Value.Path)
            .Should().BeEquivalentTo(["/api/district-direct/referrals"]);
    }

    [Fact]
    public void Each_machine_caller_has_a_named_key_of_its_own_set_only_when_given()
    {
        var callers = Callers();
        callers.Select(c => c.Name).Should().Contain(["nhs111", "bars", "wards", "eventgrid"]);
        callers.Select(c => c.Name).Should().OnlyHaveUniqueItems();
        callers.SelectMany(c => c.Functions).Should().OnlyHaveUniqueItems("a function opens to one caller's key, so revoking one stops one caller");
        Caller("nhs111").Functions.Should().Equal("Intake111");
        Caller("bars").Functions.Should().Equal("IntakeBarsMessage", "BarsMetadata");
        Caller("wards").Functions.Should().Equal("SubmitDischargeReferral");

        Arm.ModuleParameter("functionkeys", "callers")!.ToString().Should().Contain("machineCallers");
        var keys = Arm.OfType("Microsoft.Web/sites/functions/keys").Single();
        keys.Name.Should().Contain("caller").And.Contain("function");
        // Only once the functions exist, and only for a caller whose value this deploy gives: a deploy never rotates a key.
        keys.Condition.Should().Contain("codePublished").And.Contain("values");
        keys.Json["value"]!.ToString().Should().Contain("values");
        Arm.Module("functionkeys")["properties"]!["template"]!["parameters"]!["values"]!["type"]!.ToString().Should().Be("secureObject");

        // No host key: it would open every function to every caller.
        Arm.OfType("Microsoft.Web/sites/host/functionKeys").Should().BeEmpty();
        _main.Build.StdOut.Should().NotContain("host/default");
    }

    [Fact]
    public void Alerts_email_the_operations_mailbox_for_every_failure_the_app_reports()
    {
        var group = Arm.OfType("Microsoft.Insights/actionGroups").Single();
        group.Properties!["emailReceivers"]![0]!["emailAddress"]!.ToString().Should().Contain("alertEmail");
        Arm.Root["parameters"]!["alertEmail"]!["defaultValue"].Should().BeNull("a deploy without a mailbox for its alerts stops");

        var logAlerts = Arm.ModuleVariable("alerts", "logAlerts")!.AsArray();
        logAlerts.Select(a => a!["name"]!.ToString()).Should().BeEquivalentTo(
            ["orchestration-failed", "needs-attention", "case-starts-poisoned", "bars-response-not-sent", "sms-not-sent", "sms-not-configured"]);
        var read = logAlerts.SelectMany(a => a!["events"]!.AsArray().Select(e => e!.ToString())).ToList();
        var emitted = AlertEvents.All.Select(e => e.Name).ToList();
        read.Should().BeSubsetOf(emitted, "an alert reading an event the app never logs never fires");
        emitted.Should().BeSubsetOf(read, "every alert event the app logs is read by an alert");
        logAlerts.Single(a => a!["name"]!.ToString() == "sms-not-sent")!["threshold"]!.ToString().Should().Contain("smsFailureThreshold");
        Arm.ModuleParameter("alerts", "smsFailureThreshold")!.ToString().Should().Contain("smsFailureAlertThreshold");

        var rules = Arm.OfType("Microsoft.Insights/scheduledQueryRules").Single();
        var criterion = rules.Properties!["criteria"]!["allOf"]![0]!;
        criterion["query"]!.ToString().Should().Contain("AppTraces").And.Contain("Properties.EventName").And.Contain("events");
        rules.Properties["scopes"]!.ToJsonString().Should().Contain("workspaceId");
        rules.Properties["actions"]!["actionGroups"]!.ToJsonString().Should().Contain("Microsoft.Insights/actionGroups");

        // Event Grid's dead-letters are the system topic's own metric.
        var deadLetters = Arm.OfType("Microsoft.Insights/metricAlerts").Single();
        deadLetters.Properties!["criteria"]!["allOf"]![0]!["metricName"]!.ToString().Should().Be("DeadLetteredCount");
        deadLetters.Properties["scopes"]!.ToJsonString().Should().Contain("systemTopicId");
        Arm.ModuleParameter("alerts", "systemTopicId")!.ToString().Should().Contain("eventgrid");
        deadLetters.Properties["actions"]!.ToJsonString().Should().Contain("Microsoft.Insights/actionGroups");
    }

    [Fact]
    public void Finished_histories_are_purged_after_the_retention_setting()
    {
        Arm.AppSettings["Operations__HistoryRetentionDays"].Should().Contain("historyRetentionDays");
        Arm.Root["parameters"]!["historyRetentionDays"]!["defaultValue"]!.GetValue<int>().Should().Be(90);
        var timers = FunctionsMetadataTests.Functions().ToDictionary(f => f["name"]!.GetValue<string>(),
            f => f["bindings"]!.AsArray().FirstOrDefault(b => b!["type"]!.GetValue<string>() == "timerTrigger")?["schedule"]?.GetValue<string>());
        timers["PurgeOrchestrationHistory"].Should().Be("0 0 3 * * *", "the purge runs daily");
        timers["WatchService"].Should().Be($"0 */{ServiceWatch.Interval.TotalMinutes} * * * *", "the watch's failure window is its interval");
    }

    [Fact]
    public void The_sms_sender_and_its_kind_reach_the_app_and_azure_never_runs_as_development()
    {
        var kind = Arm.Root["parameters"]!["smsSenderKind"]!;
        kind["allowedValues"]!.AsArray().Select(v => v!.ToString()).Should().BeEquivalentTo(SmsSenderKinds.All);
        var s = Arm.AppSettings;
        s["Sms__SenderKind"].Should().Contain("smsSenderKind");
        s["Sms__FromNumber"].Should().Contain("smsFromNumber");
        // Outside Development texts never go to the local sink, which nothing in Azure reads.
        s["AZURE_FUNCTIONS_ENVIRONMENT"].Should().Be("Production");
    }

    [Fact]
    public void Links_in_texts_open_the_function_apps_own_https_address_unless_another_is_given()
    {
        var link = Arm.AppSettings["Sms__LinkBaseUrl"];
        link.Should().Contain("defaultHostName").And.Contain("https://").And.Contain("publicBaseUrl");
        Arm.Root["parameters"]!["publicBaseUrl"]!["defaultValue"]!.GetValue<string>().Should().BeEmpty();
        Arm.Root["parameters"]!["publicBaseUrl"]!["maxLength"]!.GetValue<int>().Should().Be(AnswerLinks.MaxBaseLength);
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
    public void Host_telemetry_goes_through_opentelemetry_like_the_worker()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.RepoRoot, "host.json")))!;
        host["telemetryMode"]!.ToString().Should().Be("OpenTelemetry");
    }

    [Fact]
    public void Host_json_takes_the_task_hub_from_the_environment()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.RepoRoot, "host.json")))!;
        host["extensions"]!["durableTask"]!["hubName"]!.ToString().Should().Be("%TaskHubName%");
        Arm.AppSettings.Should().ContainKey("TaskHubName");
    }
}
