using System.Text.Json.Nodes;
using ArbBot.IntegrationTests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>
/// <c>arbbot strategies init-editor</c>, checked the way OmniSharp uses what it writes: read
/// <c>omnisharp.json</c>, parse the response file it names with Roslyn's script command-line
/// parser, and compile each strategy as a script with those references, usings and <c>#load</c>.
/// </summary>
public sealed class EditorSetupTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private readonly string _dir = TestPaths.NewTempDirectory("editor");

    [Fact]
    public async Task The_editor_setup_resolves_the_contract_the_implicit_usings_and_load_and_keeps_the_users_settings()
    {
        string strategies = Path.Combine(_dir, "strategies");
        Directory.CreateDirectory(strategies);
        foreach (string shipped in Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "strategies"), "*.csx"))
        {
            File.Copy(shipped, Path.Combine(strategies, Path.GetFileName(shipped)));
        }

        File.WriteAllText(Path.Combine(strategies, "helper.csx"), "public static class Edge { public static Price Half(Price p) => Price.FromMicros(p.Micros / 2); }\n");
        File.WriteAllText(Path.Combine(strategies, "uses_helper.csx"), """
            #load "helper.csx"
            public sealed class UsesHelper : IStrategy
            {
                public void Initialize(IStrategySetup setup) { }
                public void OnBookUpdate(IStrategyContext context) => _ = Edge.Half(Price.Parse("0.50"));
            }
            """);
        Directory.CreateDirectory(Path.Combine(_dir, ".vscode"));
        File.WriteAllText(Path.Combine(_dir, ".vscode", "settings.json"), "{ \"editor.tabSize\": 4 }");
        File.WriteAllText(Path.Combine(_dir, "omnisharp.json"), "{ \"FormattingOptions\": { \"indentationSize\": 4 } }");

        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "strategies", "init-editor", "--dir", _dir);
        Assert.True(code == 0, stdout + stderr);

        // The user's settings stay beside ours.
        JsonNode settings = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, ".vscode", "settings.json")))!;
        Assert.Equal((4, true), (settings["editor.tabSize"]!.GetValue<int>(), settings["dotnet.server.useOmnisharp"]!.GetValue<bool>()));
        JsonNode omnisharp = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "omnisharp.json")))!;
        Assert.Equal(4, omnisharp["FormattingOptions"]!["indentationSize"]!.GetValue<int>());
        Assert.True(omnisharp["script"]!["enabled"]!.GetValue<bool>());

        string responseFile = omnisharp["script"]!["rspFilePath"]!.GetValue<string>();
        Assert.NotEqual(0xEF, File.ReadAllBytes(Path.Combine(_dir, responseFile))[0]); // no byte-order mark before the first comment

        // Every shipped strategy and the #load user compile clean as the editor sees them.
        EditorView editor = EditorView.From(_dir, responseFile);
        foreach (string file in Directory.GetFiles(strategies, "*.csx").Where(f => !f.EndsWith("helper.csx", StringComparison.Ordinal)))
        {
            Assert.Empty(editor.Errors(file).Select(d => d.ToString()));
        }

        // And the editor flags what the engine would: a misspelt contract type, and an error inside a #load helper, on their lines.
        string typo = Path.Combine(strategies, "typo.csx");
        File.WriteAllText(typo, "public sealed class Typo : IStrateggy\n{\n}\n");
        Diagnostic misspelt = Assert.Single(editor.Errors(typo));
        Assert.Equal(("CS0246", typo, 0), (misspelt.Id, misspelt.Location.GetLineSpan().Path, misspelt.Location.GetLineSpan().StartLinePosition.Line));
        File.WriteAllText(Path.Combine(strategies, "helper.csx"), "public static class Edge\n{\n    public static Price Half(Price p) => 42;\n}\n");
        Diagnostic inHelper = Assert.Single(editor.Errors(Path.Combine(strategies, "uses_helper.csx")));
        Assert.Equal((Path.Combine(strategies, "helper.csx"), 2), (inHelper.Location.GetLineSpan().Path, inHelper.Location.GetLineSpan().StartLinePosition.Line));

        // Run again: nothing doubles, the settings stay.
        (code, stdout, stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "strategies", "init-editor", "--dir", _dir);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(4, JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, ".vscode", "settings.json")))!["editor.tabSize"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_settings_file_with_comments_is_left_alone_and_the_output_says_what_to_add()
    {
        Directory.CreateDirectory(Path.Combine(_dir, ".vscode"));
        const string Commented = "{\n  // mine\n  \"editor.tabSize\": 2\n}\n";
        File.WriteAllText(Path.Combine(_dir, ".vscode", "settings.json"), Commented);

        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "strategies", "init-editor", "--dir", _dir);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(Commented, File.ReadAllText(Path.Combine(_dir, ".vscode", "settings.json")));
        Assert.Contains("rewriting it would drop its comments; add \"dotnet.server.useOmnisharp\": true yourself", stdout, StringComparison.Ordinal);

        (code, _, stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "strategies", "init-editor", "--dir", Path.Combine(_dir, "missing"));
        Assert.Equal(1, code);
        Assert.Contains(Path.Combine(_dir, "missing"), stderr, StringComparison.Ordinal);
    }

    /// <summary>What OmniSharp builds for a .csx: the response file's references and usings, the framework, script parsing and #load.</summary>
    private sealed class EditorView(IReadOnlyList<MetadataReference> references, IEnumerable<string> usings)
    {
        public static EditorView From(string workspace, string responseFile)
        {
            CSharpCommandLineArguments arguments = CSharpCommandLineParser.Script.Parse(["@" + Path.Combine(workspace, responseFile)], workspace, sdkDirectory: null);
            Assert.Empty(arguments.Errors);
            List<MetadataReference> references = arguments.MetadataReferences.Select(r =>
            {
                Assert.True(File.Exists(r.Reference), $"the response file names {r.Reference}, which is not there");
                return (MetadataReference)MetadataReference.CreateFromFile(r.Reference);
            }).ToList();
            Assert.Contains(references, r => Path.GetFileName(r.Display) == "ArbBot.Abstractions.dll");
            references.AddRange(((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
                .Select(p => MetadataReference.CreateFromFile(p)));
            return new EditorView(references, arguments.CompilationOptions.Usings);
        }

        public IReadOnlyList<Diagnostic> Errors(string file)
        {
            SyntaxTree tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script), file);
            var options = new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                usings: usings,
                sourceReferenceResolver: new SourceFileResolver([], Path.GetDirectoryName(file)),
                nullableContextOptions: NullableContextOptions.Enable);
            CSharpCompilation compilation = CSharpCompilation.CreateScriptCompilation(Path.GetFileNameWithoutExtension(file), tree, references, options);
            return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        }
    }
}
