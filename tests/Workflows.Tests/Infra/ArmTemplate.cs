using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workflows.Tests.Infra;

/// <summary>
/// Just enough reading of compiled ARM JSON to check what Bicep will deploy: every resource in
/// the template and in nested module deployments, and the Function App's app settings with
/// module parameters resolved (modules receive them as <c>[parameters('x')]</c>).
/// </summary>
public sealed partial class ArmTemplate
{
    public sealed record Resource(string Type, JsonObject Json, JsonObject? Deployment)
    {
        public string Name => Json["name"]?.ToString() ?? "";
        public string? Condition => Json["condition"]?.ToString();
        public JsonNode? Properties => Json["properties"];
    }

    public JsonObject Root { get; }
    public IReadOnlyList<Resource> Resources { get; }

    public ArmTemplate(JsonObject root)
    {
        Root = root;
        var all = new List<Resource>();
        Collect(root, null, all);
        Resources = all;
    }

    public IEnumerable<Resource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<JsonObject> ResourcesOf(JsonObject template) => template["resources"] switch
    {
        JsonArray a => a.OfType<JsonObject>(),
        JsonObject o => o.Select(kv => kv.Value).OfType<JsonObject>(), // languageVersion 2.0: symbolic names
        _ => [],
    };

    private static void Collect(JsonObject template, JsonObject? deployment, List<Resource> into)
    {
        foreach (var r in ResourcesOf(template))
        {
            var type = r["type"]?.ToString() ?? "";
            into.Add(new Resource(type, r, deployment));
            if (type.Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase)
                && r["properties"]?["template"] is JsonObject nested)
                Collect(nested, r, into);
        }
    }

    /// <summary>A module of main.bicep: its deployment resource, by the module's deployment name.</summary>
    public JsonObject Module(string name) =>
        OfType("Microsoft.Resources/deployments").Single(r => r.Name == name && r.Deployment is null).Json;

    /// <summary>What main passes a module for a parameter: a literal, or the ARM expression that computes it.</summary>
    public JsonNode? ModuleParameter(string module, string parameter) => Module(module)["properties"]!["parameters"]![parameter]?["value"];

    /// <summary>A variable of the module's own template (literal arrays and objects keep their shape in ARM JSON).</summary>
    public JsonNode? ModuleVariable(string module, string variable) => Module(module)["properties"]!["template"]!["variables"]?[variable];

    /// <summary>The Function App resource (kind functionapp), wherever it is declared.</summary>
    public Resource FunctionApp => OfType("Microsoft.Web/sites")
        .Single(r => r.Json["kind"]?.ToString().Contains("functionapp", StringComparison.OrdinalIgnoreCase) == true
                     && r.Json["existing"]?.GetValue<bool>() != true);

    /// <summary>
    /// The app settings as key -> value (value is the ARM expression or literal), from
    /// siteConfig.appSettings and from a sites/config 'appsettings' resource, with
    /// <c>parameters('x')</c> of the enclosing module resolved to what main passes in.
    /// </summary>
    public IReadOnlyDictionary<string, string> AppSettings
    {
        get
        {
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            var app = FunctionApp;
            if (app.Properties?["siteConfig"]?["appSettings"] is JsonArray array)
                foreach (var item in array.OfType<JsonObject>())
                    settings[item["name"]!.ToString()] = item["value"]?.ToString() ?? "";

            foreach (var config in OfType("Microsoft.Web/sites/config").Where(r => r.Name.Contains("appsettings", StringComparison.OrdinalIgnoreCase)))
                foreach (var (k, v) in ResolveObject(config.Properties, config.Deployment))
                    settings[k] = v;
            return settings;
        }
    }

    [GeneratedRegex(@"parameters\('([^']+)'\)")]
    private static partial Regex ParameterRef();

    [GeneratedRegex(@"createObject\('([^']+)', ")]
    private static partial Regex ObjectKey();

    /// <summary>
    /// A literal object, or an expression over module parameters holding objects and object literals (e.g. a union of
    /// them): a literal's key has the whole expression as its value, for a test to look into.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string>> ResolveObject(JsonNode? node, JsonObject? deployment)
    {
        if (node is JsonObject literal)
        {
            foreach (var kv in literal)
                yield return new(kv.Key, kv.Value?.ToString() ?? "");
            yield break;
        }
        if (node is null || deployment is null) yield break;
        var expression = node.ToString();
        foreach (Match m in ObjectKey().Matches(expression))
            yield return new(m.Groups[1].Value, expression);
        foreach (Match m in ParameterRef().Matches(expression))
        {
            var passed = deployment["properties"]?["parameters"]?[m.Groups[1].Value]?["value"];
            if (passed is JsonObject obj)
                foreach (var kv in obj)
                    yield return new(kv.Key, kv.Value?.ToString() ?? "");
        }
    }
}
