using ArbBot.Engine.Scripting;
using ArbBot.Engine.Strategies.Compilation;

namespace ArbBot.Tests.Strategies;

public sealed class ScriptCompilerTests
{
    private const string Minimal = """
        public sealed class Minimal : IStrategy
        {
            public void Initialize(IStrategySetup setup) { }
            public void OnBookUpdate(IStrategyContext context) { }
        }
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "arbbot-tests", "compiler-" + Guid.NewGuid().ToString("N"));

    public ScriptCompilerTests()
    {
        Directory.CreateDirectory(_dir);
    }

    [Fact]
    public void The_shipped_strategies_compile()
    {
        var compiler = new ScriptCompiler(null);
        foreach (string file in Directory.GetFiles(Path.Combine(Configuration.ConfigLoaderTests.RepoRoot(), "strategies"), "*.csx"))
        {
            ScriptCompilation result = compiler.Compile(file);
            Assert.True(result.Success, string.Join("\n", result.Errors));
        }
    }

    [Fact]
    public void Errors_are_reported_as_file_line_column()
    {
        string file = Write("broken.csx", """
            public sealed class Broken : IStrategy
            {
                public void Initialize(IStrategySetup setup) { }
                public void OnBookUpdate(IStrategyContext context)
                {
                    int x = undefinedThing;
                }
            }
            """);
        ScriptCompilation result = new ScriptCompiler(null).Compile(file);
        Assert.False(result.Success);
        ScriptDiagnostic error = Assert.Single(result.Errors);
        Assert.Equal($"{file}:6:17: error CS0103: The name 'undefinedThing' does not exist in the current context", error.ToString());
    }

    [Fact]
    public void Blocking_and_io_apis_are_refused_where_they_are_used()
    {
        string file = Write("io.csx", """
            public sealed class Io : IStrategy
            {
                public void Initialize(IStrategySetup setup) { }
                public void OnBookUpdate(IStrategyContext context)
                {
                    System.IO.File.WriteAllText("x", "y");
                    System.Threading.Thread.Sleep(10);
                }
            }
            """);
        ScriptCompilation result = new ScriptCompiler(null).Compile(file);
        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Line == 6 && e.Id == "ARB001" && e.Message.StartsWith("System.IO.File is not allowed", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 7 && e.Id == "ARB001" && e.Message.StartsWith("System.Threading.Thread is not allowed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_must_declare_exactly_one_strategy()
    {
        string none = Write("none.csx", "public static class Helpers { public static int Two() => 2; }");
        Assert.Equal("ARB020", Assert.Single(new ScriptCompiler(null).Compile(none).Errors).Id);
    }

    [Fact]
    public void Load_directives_bring_in_helpers_and_keep_line_numbers()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "lib"));
        Write("lib/helper.csx", "public static class Helper { public static int Answer() => 42; }");
        string file = Write("uses.csx", """
            #load "lib/helper.csx"
            public sealed class Uses : IStrategy
            {
                public void Initialize(IStrategySetup setup) { _ = Helper.Answer(); }
                public void OnBookUpdate(IStrategyContext context) { _ = missing; }
            }
            """);
        ScriptCompilation result = new ScriptCompiler(null).Compile(file);
        Assert.Equal(5, Assert.Single(result.Errors).Line);
        Assert.Equal(2, result.Source.Files.Count);
        Assert.EndsWith("helper.csx", result.Source.Files[0].Path);

        string missing = Write("missing.csx", "#load \"nowhere.csx\"\n" + Minimal);
        ScriptDiagnostic error = Assert.Single(new ScriptCompiler(null).Compile(missing).Errors);
        Assert.Equal(("ARB011", 1), (error.Id, error.Line));
        Assert.Contains("nowhere.csx", error.Message);
    }

    [Fact]
    public void Compiled_images_are_cached_by_source_hash()
    {
        string cache = Path.Combine(_dir, "cache");
        string file = Write("cached.csx", Minimal);
        Assert.False(new ScriptCompiler(cache).Compile(file).FromCache);
        ScriptCompilation again = new ScriptCompiler(cache).Compile(file);
        Assert.True(again.FromCache);
        Assert.True(again.Success);

        File.WriteAllText(file, Minimal + "\n// changed\n");
        Assert.False(new ScriptCompiler(cache).Compile(file).FromCache);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
