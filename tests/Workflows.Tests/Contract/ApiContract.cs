using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.OpenApi.YamlReader;
using SharpYaml.Serialization;

namespace Workflows.Tests.Contract;

/// <summary>
/// The HTTP contract, docs/openapi.yaml, read as JSON: which operations exist, and for each the statuses, media types
/// and body schemas it may answer with. <see cref="Check"/> says what an answer does that the contract does not allow.
/// </summary>
public sealed partial class ApiContract
{
    public static readonly string File = Path.Combine(RepoRoot.Path, "docs", "openapi.yaml");

    private static readonly Lazy<ApiContract> Loaded = new(() => new ApiContract(Read(System.IO.File.ReadAllText(File))));

    public static ApiContract Current => Loaded.Value;

    public JsonObject Document { get; }

    public IReadOnlyList<Operation> Operations { get; }

    private readonly Dictionary<string, JsonSchema> _schemas = new();
    private readonly Lock _compiling = new();

    public sealed record Operation(string Method, string Path, Regex Matcher, JsonObject Definition)
    {
        public string Key => $"{Method.ToLowerInvariant()} {Path}";
    }

    private ApiContract(JsonObject document)
    {
        Document = document;
        Operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject()
                .Where(m => HttpVerbs.Contains(m.Key))
                .Select(m => new Operation(m.Key.ToUpperInvariant(), p.Key, Matcher(p.Key), m.Value!.AsObject())))
            .ToList();
    }

    private static readonly string[] HttpVerbs = ["get", "put", "post", "delete", "options", "head", "patch"];

    /// <summary>YAML to JSON, as the OpenAPI reader itself converts it.</summary>
    public static JsonObject Read(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode.ToJsonNode()!.AsObject();
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Parameter();

    /// <summary>A path template as a regex: a parameter is one segment; "/{path}" (the pages' catch-all) is the rest, if any.</summary>
    private static Regex Matcher(string template) =>
        new("^" + Parameter().Replace(Regex.Escape(template).Replace(@"\{", "{").Replace("/{path}", "{path}"),
            m => m.Groups[1].Value == "path" ? "(/.*)?" : "([^/]+)") + "$");

    public Operation? Find(string method, string path) =>
        Operations.FirstOrDefault(o => o.Method == method && o.Matcher.IsMatch(path) && !LiteralTwin(o, method, path));

    /// <summary>"/api/district-direct/referrals/{id}" must not take a path that a literal route owns.</summary>
    private bool LiteralTwin(Operation o, string method, string path) =>
        o.Path.Contains('{') && Operations.Any(x => x.Method == method && !x.Path.Contains('{') && x.Path == path);

    /// <summary>What this answer does that the contract does not allow, or null when it conforms.</summary>
    public string? Check(string method, Uri uri, int status, string? media, string body)
    {
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        var operation = Find(method, path);
        JsonNode? responses;
        string where;
        if (operation is null)
        {
            // Not a route: routing answers 404 (unknown path) or 405 (known path, other method) with a problem.
            var knownPath = Operations.Any(o => o.Matcher.IsMatch(path));
            var expected = knownPath ? 405 : 404;
            if (status != expected && !(knownPath && status == 404)) return $"no operation {method} {path} in the contract";
            responses = Document["components"]!["responses"]![status == 404 ? "NotFound" : "MethodNotAllowed"];
            where = $"#/components/responses/{(status == 404 ? "NotFound" : "MethodNotAllowed")}";
            return CheckResponse(Resolve(responses!), where, media, body);
        }
        var listed = operation.Definition["responses"]!.AsObject();
        var response = listed[status.ToString()] ?? listed["default"];
        if (response is null) return $"status {status} is not among {operation.Key}'s responses ({string.Join(", ", listed.Select(r => r.Key))})";
        return CheckResponse(Resolve(response), $"{operation.Key} {status}", media, body);
    }

    private string? CheckResponse(JsonObject response, string where, string? media, string body)
    {
        if (response["content"] is not JsonObject content)
            return body.Length == 0 ? null : $"{where} has no body in the contract, but one was sent ({media})";
        if (body.Length == 0 && media is null) return content.Count == 0 ? null : $"{where} should have a body ({string.Join(", ", content.Select(c => c.Key))})";
        if (media is null || content[media] is not JsonObject mediaType)
            return $"{where}: media type {media} is not among {string.Join(", ", content.Select(c => c.Key))}";
        if (mediaType["schema"] is null || !media.EndsWith("json", StringComparison.Ordinal)) return null;
        JsonNode? node;
        try { node = JsonNode.Parse(body); }
        catch (JsonException e) { return $"{where}: the body is not JSON ({e.Message})"; }
        var result = Schema($"{where} {media}", mediaType["schema"]!).Evaluate(node, new EvaluationOptions
        {
            OutputFormat = OutputFormat.List, RequireFormatValidation = true,
        });
        if (result.IsValid) return null;
        var errors = result.Details.Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => e.Value.Contains("false schema", StringComparison.Ordinal)
                ? $"{d.InstanceLocation} is a field the contract does not have"
                : $"{d.InstanceLocation}: {e.Value}")).Distinct().Take(8);
        return $"{where}: the body does not match the contract's schema: {string.Join("; ", errors)}. Body: {(body.Length > 600 ? body[..600] + "..." : body)}";
    }

    /// <summary>A response object, following a $ref to #/components/responses.</summary>
    public JsonObject Resolve(JsonNode node) =>
        node["$ref"]?.GetValue<string>() is { } reference ? Pointer(reference).AsObject() : node.AsObject();

    public JsonNode Pointer(string reference)
    {
        JsonNode? node = Document;
        foreach (var part in reference.TrimStart('#', '/').Split('/'))
            node = node?[part.Replace("~1", "/").Replace("~0", "~")];
        return node ?? throw new KeyNotFoundException($"{reference} is not in the contract");
    }

    /// <summary>
    /// A body schema as a standalone JSON Schema 2020-12 document: the contract's component schemas become its $defs,
    /// so "#/components/schemas/X" references resolve inside it.
    /// </summary>
    public JsonSchema Schema(string key, JsonNode schema)
    {
        lock (_compiling)
        {
            if (_schemas.TryGetValue(key, out var compiled)) return compiled;
            var standalone = new JsonObject
            {
                ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                ["$id"] = $"https://contract.invalid/{_schemas.Count}",
                ["$defs"] = Document["components"]?["schemas"]?.DeepClone(),
                ["allOf"] = new JsonArray(schema.DeepClone()),
            };
            var text = standalone.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);
            return _schemas[key] = JsonSchema.FromText(text);
        }
    }
}
