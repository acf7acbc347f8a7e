using System.Reflection;
using System.Text.RegularExpressions;

namespace Workflows.Tests.Safety;

/// <summary>docs/clinical-safety.md may name only tests that exist, and every hazard names at least one.</summary>
public sealed partial class HazardLogTests
{
    private static readonly string LogFile = Path.Combine(RepoRoot.Path, "docs", "clinical-safety.md");

    [GeneratedRegex(@"^\*\*Tests:\*\*(.*)$|^- \*\*Tests:\*\*(.*)$", RegexOptions.Multiline)]
    private static partial Regex TestsLine();

    [GeneratedRegex(@"`(\w+)\.(\w+)`")]
    private static partial Regex TestName();

    [GeneratedRegex(@"^## (H\d+) ", RegexOptions.Multiline)]
    private static partial Regex Hazard();

    /// <summary>Every [Fact]/[Theory] as "Class.Method", from this assembly and the integration tests' (built beside it).</summary>
    private static HashSet<string> KnownTests()
    {
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var integration = Path.Combine(RepoRoot.Path, "tests", "Workflows.IntegrationTests", "bin", config, "net10.0", "Workflows.IntegrationTests.dll");
        File.Exists(integration).Should().BeTrue($"the integration tests are built before this test runs ({integration})");
        return new[] { typeof(HazardLogTests).Assembly, Assembly.LoadFrom(integration) }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.GetCustomAttributes().Any(a => a is FactAttribute))
                .Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet();
    }

    [Fact]
    public void EveryTestTheHazardLogNamesExists()
    {
        var text = File.ReadAllText(LogFile);
        var named = TestsLine().Matches(text).SelectMany(m => TestName().Matches(m.Value)).Select(m => $"{m.Groups[1].Value}.{m.Groups[2].Value}").ToList();
        var known = KnownTests();

        named.Should().HaveCountGreaterThan(20);
        named.Where(n => !known.Contains(n)).Should().BeEmpty("the hazard log may only name tests that exist");
    }

    [Fact]
    public void EveryHazardNamesTheTestsThatProveItsMitigation()
    {
        var text = File.ReadAllText(LogFile);
        var sections = Hazard().Split(text).Skip(1).Chunk(2).ToDictionary(c => c[0], c => c[1]);

        sections.Should().HaveCountGreaterThanOrEqualTo(10);
        sections.Where(s => !TestName().IsMatch(TestsLine().Match(s.Value).Value)).Select(s => s.Key)
            .Should().BeEmpty("each hazard says which tests prove it");
    }
}
