using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Workflows.Pages;

/// <summary>A page or asset embedded in Core: its bytes, media type and a strong ETag.</summary>
public sealed record PageFile(string Path, byte[] Content, string ContentType, string ETag);

/// <summary>The staff pages (HTML, CSS, JS modules), embedded as resources under "pages/".</summary>
public sealed class StaffPages
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8", [".svg"] = "image/svg+xml", [".png"] = "image/png", [".ico"] = "image/x-icon",
    };

    private readonly FrozenDictionary<string, PageFile> _files;

    public StaffPages() : this(typeof(StaffPages).Assembly) { }

    public StaffPages(Assembly assembly)
    {
        var files = new Dictionary<string, PageFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("pages/", StringComparison.Ordinal)))
        {
            var path = name["pages/".Length..].Replace('\\', '/');
            if (!Types.TryGetValue(System.IO.Path.GetExtension(path), out var type)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            files[path] = new PageFile(path, bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }
        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> Paths => _files.Keys;

    /// <summary>The file at a path under the pages root ("" is the index); null for anything else, including "..".</summary>
    public PageFile? Find(string? path)
    {
        path = string.IsNullOrEmpty(path) ? "index.html" : path;
        return _files.GetValueOrDefault(path);
    }
}
