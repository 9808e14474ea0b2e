using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Strategies.Compilation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace ArbBot.Engine.Scripting;

/// <summary>
/// Compiles .csx strategies with Roslyn into an in-memory assembly (never through
/// CSharpScript.RunAsync, which leaks an assembly per run). Errors come back as file:line:column;
/// forbidden APIs are refused; every loop and method gets a budget check; images are cached on
/// disk by the source hash, so a restart with unchanged scripts skips the compiler.
/// </summary>
public sealed class ScriptCompiler : IStrategyCompiler
{
    /// <summary>
    /// The namespaces every script may use without a <c>using</c>: the engine compiles them in as
    /// global usings, and <see cref="EditorSetup"/> hands the same list to the editor.
    /// </summary>
    public static readonly IReadOnlyList<string> ImplicitNamespaces =
    [
        "System",
        "System.Collections.Generic",
        "System.Linq",
        "ArbBot.Abstractions.Fees",
        "ArbBot.Abstractions.FixedPoint",
        "ArbBot.Abstractions.Markets",
        "ArbBot.Abstractions.Orders",
        "ArbBot.Abstractions.Sizing",
        "ArbBot.Abstractions.Strategies",
    ];

    private static readonly string GlobalUsings = string.Concat(ImplicitNamespaces.Select(n => $"global using {n};\n"));

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular);
    private readonly CompileCache _cache;
    private readonly bool _readCache;

    /// <summary>Creates a compiler; <paramref name="cacheDirectory"/> null disables the cache.</summary>
    public ScriptCompiler(string? cacheDirectory)
        : this(cacheDirectory, readCache: true)
    {
    }

    /// <summary>
    /// Creates a compiler; with <paramref name="readCache"/> false it always compiles and only
    /// writes what it built to the cache (<c>arbbot check</c>: a real compile that leaves the
    /// images <c>arbbot run</c> then starts from).
    /// </summary>
    public ScriptCompiler(string? cacheDirectory, bool readCache)
    {
        _cache = new CompileCache(cacheDirectory);
        _readCache = readCache;
    }

    /// <summary>Compiles a strategy file with its #load closure.</summary>
    public ScriptCompilation Compile(string file)
    {
        long start = Stopwatch.GetTimestamp();
        if (_cache.ReadOrFind(file, _readCache, start, out ScriptSource source) is { } done)
        {
            return done;
        }

        var problems = new List<ScriptDiagnostic>();

        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(GlobalUsings, s_parseOptions, "<arbbot-global-usings>", Encoding.UTF8) };
        foreach ((string path, string text) in source.Files)
        {
            trees.Add(CSharpSyntaxTree.ParseText(text, s_parseOptions, path, Encoding.UTF8));
        }

        string assemblyName = $"strategy-{Path.GetFileNameWithoutExtension(source.EntryFile)}-{source.Version}";
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release,
            nullableContextOptions: NullableContextOptions.Enable,
            concurrentBuild: false);
        CSharpCompilation original = CSharpCompilation.Create(assemblyName, trees, s_references.Value, options);

        // The fast path binds once: emit the budget-checked code straight away. Its line numbers
        // match the file; only text after an inserted check on the same line shifts column, so
        // any problem found is reported again from the code as written, for exact columns.
        CSharpCompilation guarded = original.RemoveAllSyntaxTrees().AddSyntaxTrees(trees.Select(t =>
            t.FilePath.StartsWith('<') ? t : CSharpSyntaxTree.Create((CSharpSyntaxNode)new ScriptGuardRewriter().Visit(t.GetRoot())!, s_parseOptions, t.FilePath, Encoding.UTF8)));
        using var image = new MemoryStream();
        using var symbols = new MemoryStream();
        EmitResult result = guarded.Emit(image, symbols, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (result.Success)
        {
            foreach (SyntaxTree tree in guarded.SyntaxTrees.Skip(1))
            {
                ForbiddenApis.Check(guarded, tree, problems);
            }

            CheckSingleStrategyType(guarded, guarded.SyntaxTrees.Last(), problems);
        }

        if (!result.Success || problems.Count > 0)
        {
            problems.Clear();
            foreach (Diagnostic d in original.GetDiagnostics())
            {
                if (d.Severity == DiagnosticSeverity.Error)
                {
                    problems.Add(ToScriptDiagnostic(d));
                }
            }

            if (problems.Count == 0)
            {
                foreach (SyntaxTree tree in trees.Skip(1))
                {
                    ForbiddenApis.Check(original, tree, problems);
                }

                CheckSingleStrategyType(original, trees[^1], problems);
            }

            if (problems.Count == 0)
            {
                // Only reachable if the budget checks broke code that compiles as written.
                problems.AddRange(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(ToScriptDiagnostic));
            }

            return new ScriptCompilation(source, null, null, problems, false, Stopwatch.GetElapsedTime(start));
        }

        byte[] bytes = image.ToArray();
        byte[] pdb = symbols.ToArray();
        _cache.Write(source, bytes, pdb);
        return new ScriptCompilation(source, bytes, pdb, [], false, Stopwatch.GetElapsedTime(start));
    }

    /// <inheritdoc/>
    public void WarmUp()
    {
        string folder = Path.Combine(Path.GetTempPath(), "arbbot-warm-up-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string file = Path.Combine(folder, "warm_up.csx");
            File.WriteAllText(file, """
                public sealed class WarmUp : IStrategy
                {
                    public void Initialize(IStrategySetup setup) { }
                    public void OnBookUpdate(IStrategyContext context)
                    {
                        for (int i = 0; i < context.Pair.LegCount; i++) { _ = context.Pair.Leg(i).IsStale; }
                    }
                }
                """);
            new ScriptCompiler(null).Compile(file); // the whole path (parse, bind, budget rewrite, checks, emit), nothing cached
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void CheckSingleStrategyType(CSharpCompilation compilation, SyntaxTree entry, List<ScriptDiagnostic> problems)
    {
        INamedTypeSymbol contract = compilation.GetTypeByMetadataName(typeof(IStrategy).FullName!)!;
        SemanticModel model = compilation.GetSemanticModel(entry);
        var found = entry.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>()
            .Select(c => model.GetDeclaredSymbol(c))
            .Where(s => s is { IsAbstract: false } && s.AllInterfaces.Contains(contract, SymbolEqualityComparer.Default))
            .ToList();
        if (found.Count != 1)
        {
            string path = entry.FilePath;
            problems.Add(new ScriptDiagnostic(path, 1, 1, "ARB020", found.Count == 0
                ? "a strategy file must declare one class implementing IStrategy"
                : $"a strategy file must declare exactly one class implementing IStrategy, found {string.Join(", ", found.Select(f => f!.Name))}"));
        }
    }

    private static ScriptDiagnostic ToScriptDiagnostic(Diagnostic d)
    {
        FileLinePositionSpan span = d.Location.GetMappedLineSpan();
        return new ScriptDiagnostic(span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p =>
            {
                string name = Path.GetFileName(p);
                return name.StartsWith("System.", StringComparison.Ordinal) || name is "System.dll" or "netstandard.dll" or "mscorlib.dll";
            })
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(IStrategy).Assembly.Location));
        return [.. references];
    }
}
