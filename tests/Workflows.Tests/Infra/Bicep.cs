using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Workflows.Tests.Infra;

/// <summary>
/// The bicep compiler shipped in Azure.Bicep.CommandLine.linux-x64 (copied beside the tests as
/// bicep/bicep), run against the repository's infra/ folder.
/// </summary>
public static class Bicep
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string InfraDir => Path.Combine(RepoRoot, "infra");

    /// <summary>A client id that satisfies main.bicep's 36-character check; the param files read ENTRA_CLIENT_ID.</summary>
    public const string TestEntraClientId = "11111111-2222-3333-4444-555555555555";

    public static string BinaryPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "bicep", "bicep");
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"bicep not found at {path}: build tests/Workflows.Tests (it copies the Azure.Bicep.CommandLine.linux-x64 tools).");
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(path);
                const UnixFileMode exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
                if ((mode & UnixFileMode.UserExecute) == 0)
                    File.SetUnixFileMode(path, mode | exec);
            }
            return path;
        }
    }

    public sealed record Result(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
    {
        public IEnumerable<string> Diagnostics(string level) =>
            StdErr.Split('\n').Where(l => l.Contains($" : {level} ", StringComparison.Ordinal));
    }

    public static Result Run(params string[] args) => Run(new Dictionary<string, string?>(), args);

    public static Result Run(IDictionary<string, string?> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(BinaryPath)
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // No telemetry, no update checks, no network: CI has none.
        psi.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in environment) psi.Environment[k] = v;

        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', args)} took more than 3 minutes");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No Workflows.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>Builds infra/main.bicep once for the whole class and keeps the ARM JSON.</summary>
public sealed class MainTemplateFixture
{
    public Bicep.Result Build { get; }
    public JsonObject Template { get; }
    public ArmTemplate Arm { get; }

    public MainTemplateFixture()
    {
        Build = Bicep.Run("build", Path.Combine("infra", "main.bicep"), "--stdout");
        if (Build.ExitCode != 0)
            throw new InvalidOperationException($"bicep build infra/main.bicep failed ({Build.ExitCode}):\n{Build.StdErr}");
        Template = JsonNode.Parse(Build.StdOut)!.AsObject();
        Arm = new ArmTemplate(Template);
    }
}
