using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ArbBot.Engine.Kernel;
using ArbBot.Tests.Configuration;

namespace ArbBot.Tests.Architecture;

/// <summary>
/// The shape docs/architecture.md describes, checked: the engine core carries no I/O package, the
/// execution side has no reference cycle, and the order manager holds order state only.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string s_core = Path.Combine(ConfigLoaderTests.RepoRoot(), "engine", "ArbBot.Engine");

    [Fact]
    public void The_engine_core_references_no_io_package()
    {
        XDocument project = XDocument.Load(Path.Combine(s_core, "ArbBot.Engine.csproj"));
        string[] packages = project.Descendants("PackageReference").Select(p => (string)p.Attribute("Include")!).ToArray();
        Assert.Equal(["Microsoft.Extensions.Logging.Abstractions"], packages);

        // And the built assembly, whatever its project file says.
        string[] referenced = typeof(EngineKernel).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        foreach (string io in new[] { "Microsoft.CodeAnalysis", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "StackExchange.Redis", "YamlDotNet" })
        {
            Assert.DoesNotContain(referenced, r => r.StartsWith(io, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Execution_risk_and_the_pipeline_have_no_reference_cycle()
    {
        string[] folders = ["Execution", "Risk", "Pipeline", "Control"];
        var typesByFile = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (string folder in folders)
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(s_core, folder), "*.cs", SearchOption.AllDirectories))
            {
                typesByFile[file] = TypeDeclaration().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).ToArray();
            }
        }

        // A file references another when its code (comments left out) names one of the other's types;
        // the parts of one partial type (LeggedPolicy.cs, LeggedPolicy.Groups.cs) are one type, not a cycle.
        var references = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (string file in typesByFile.Keys)
        {
            string code = Comment().Replace(File.ReadAllText(file), "");
            references[file] = typesByFile
                .Where(other => other.Key != file && !other.Value.Intersect(typesByFile[file]).Any() && other.Value.Any(t => Regex.IsMatch(code, $@"\b{t}\b")))
                .Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        }

        List<string> cycles = [];
        foreach (string start in references.Keys)
        {
            FindCycles(start, start, [start], references, cycles);
        }

        Assert.True(cycles.Count == 0, "reference cycles:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void The_order_manager_keeps_order_state_only()
    {
        string file = Path.Combine(s_core, "Execution", "OrderManager.cs");
        string code = Comment().Replace(File.ReadAllText(file), "");
        Assert.True(File.ReadAllLines(file).Length < 400, "OrderManager.cs has grown past 400 lines");
        foreach (string decision in new[] { "RiskEngine", "LeggedPolicy", "ExecutionEngine", "AlertSink", "KillSwitch", "ArbBotConfig" })
        {
            Assert.False(Regex.IsMatch(code, $@"\b{decision}\b"), $"OrderManager refers to {decision}: decisions belong to risk and the execution engine");
        }

        Type manager = typeof(Engine.Execution.OrderManager);
        Assert.DoesNotContain(manager.GetConstructors().SelectMany(c => c.GetParameters()), p => p.ParameterType.Namespace == "ArbBot.Engine.Risk");
        Assert.All(manager.GetFields(BindingFlags.Instance | BindingFlags.NonPublic), f => Assert.NotEqual("ArbBot.Engine.Risk", f.FieldType.Namespace));
    }

    private static void FindCycles(string start, string at, List<string> path, Dictionary<string, HashSet<string>> references, List<string> cycles)
    {
        foreach (string next in references[at])
        {
            if (next == start)
            {
                cycles.Add(string.Join(" -> ", path.Select(Path.GetFileName)));
            }
            else if (!path.Contains(next) && string.CompareOrdinal(next, start) > 0)
            {
                FindCycles(start, next, [.. path, next], references, cycles);
            }
        }
    }

    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:static|sealed|abstract|partial|readonly|record)\s+)*(?:class|record|struct|interface|enum)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();
}
