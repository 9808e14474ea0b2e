using ArbBot.Engine.Strategies.Compilation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ArbBot.Engine.Scripting;

/// <summary>
/// What a strategy may use, as an allow-list: it runs on the engine's kernel thread and must not
/// block, do I/O, start threads or timers, reach the network, files or the process, use reflection
/// or native memory, or keep code running outside its calls. Every name a strategy uses must
/// belong to the contract (<c>ArbBot.Abstractions</c>), to the plain-computation parts of the base
/// library below (numbers, text, collections, LINQ), or to the strategy itself; anything else is
/// refused where it is used, as are finalizers (they run on the finalizer thread, and one that
/// throws ends the process), <c>unsafe</c> code, <c>extern</c> methods and <c>stackalloc</c>.
/// A deny-list misses what nobody thought of (<c>System.Xml</c> reads files and URLs,
/// <c>System.Timers</c> runs code on other threads); an allow-list refuses it by default.
/// </summary>
internal static class ForbiddenApis
{
    // Whole namespaces (not their sub-namespaces: System.Linq.Expressions compiles code that calls
    // anything by name): the strategy part of the contract (not Plugins, Account or Discovery, which
    // create files and talk to venues), and plain computation.
    private static readonly HashSet<string> s_allowedNamespaces = new(StringComparer.Ordinal)
    {
        "ArbBot.Abstractions.Strategies",
        "ArbBot.Abstractions.FixedPoint",
        "ArbBot.Abstractions.Markets",
        "ArbBot.Abstractions.Orders",
        "ArbBot.Abstractions.Fees",
        "ArbBot.Abstractions.Sizing",
        "ArbBot.Abstractions.Events",
        "System.Collections.Generic",
        "System.Collections.ObjectModel",
        "System.Linq",
        "System.Numerics",
        "System.Globalization",
        "System.Buffers",
    };

    // Members of allowed types that are the engine's alone: a strategy that could end its own
    // budget would run forever (the rewriter's own calls are Check and Enter).
    private static readonly HashSet<string> s_engineOnlyMembers = new(StringComparer.Ordinal)
    {
        "ArbBot.Abstractions.Strategies.ScriptBudget.Begin",
        "ArbBot.Abstractions.Strategies.ScriptBudget.End",
        "ArbBot.Abstractions.Strategies.ScriptBudget.Exceed",
    };

    // Types (by name, any arity) of namespaces that also hold what a strategy must not reach (System
    // holds Environment, AppDomain, GC, Activator, Type, Console...; System.Text holds
    // RegularExpressions and encodings; System.Threading holds threads and timers).
    private static readonly HashSet<string> s_allowedTypes = new(StringComparer.Ordinal)
    {
        "System.Object", "System.ValueType", "System.Enum", "System.String", "System.Char", "System.Boolean",
        "System.Byte", "System.SByte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32", "System.Int64", "System.UInt64",
        "System.Int128", "System.UInt128", "System.IntPtr", "System.UIntPtr", "System.Half", "System.Single", "System.Double", "System.Decimal",
        "System.Math", "System.MathF", "System.MidpointRounding", "System.Convert", "System.BitConverter", "System.HashCode",
        "System.DateTime", "System.DateTimeOffset", "System.DateTimeKind", "System.DayOfWeek", "System.TimeSpan", "System.DateOnly", "System.TimeOnly",
        "System.Guid", "System.Index", "System.Range", "System.Array", "System.ArraySegment", "System.Span", "System.ReadOnlySpan",
        "System.Memory", "System.ReadOnlyMemory", "System.MemoryExtensions", "System.Nullable", "System.Lazy",
        "System.Tuple", "System.ValueTuple", "System.StringComparer", "System.StringComparison", "System.StringSplitOptions",
        "System.IComparable", "System.IEquatable", "System.IFormattable", "System.IFormatProvider", "System.ISpanFormattable",
        "System.IDisposable", "System.Comparison", "System.Predicate", "System.Converter", "System.Func", "System.Action", "System.Random",
        "System.FormattableString", "System.Attribute", "System.ObsoleteAttribute", "System.FlagsAttribute",
        "System.Exception", "System.ArgumentException", "System.ArgumentNullException", "System.ArgumentOutOfRangeException",
        "System.InvalidOperationException", "System.NotSupportedException", "System.NotImplementedException", "System.FormatException",
        "System.OverflowException", "System.DivideByZeroException", "System.IndexOutOfRangeException",
        "System.Text.StringBuilder", "System.Text.Rune",
        "System.Threading.Interlocked", "System.Threading.Volatile",
        "System.Collections.IEnumerable", "System.Collections.IEnumerator",
    };

    public static void Check(Compilation compilation, SyntaxTree tree, List<ScriptDiagnostic> problems)
    {
        SemanticModel model = compilation.GetSemanticModel(tree);
        foreach (SyntaxNode node in tree.GetRoot().DescendantNodes())
        {
            if (Construct(node) is { } construct)
            {
                Report(node, problems, $"{construct} is not allowed in a strategy: {Why(construct)}");
                continue;
            }

            if (node is not (IdentifierNameSyntax or GenericNameSyntax))
            {
                continue;
            }

            SymbolInfo info = model.GetSymbolInfo(node);
            ISymbol? symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
            if (symbol is null || symbol is INamespaceSymbol or ILocalSymbol or IParameterSymbol or IRangeVariableSymbol or ILabelSymbol or ITypeParameterSymbol or IDiscardSymbol)
            {
                continue;
            }

            INamedTypeSymbol? type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
            if (type is null || (Allowed(type, compilation) && !IsEngineOnly(symbol, type)))
            {
                continue;
            }

            string name = type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
            Report(node, problems, $"{name} is not allowed in a strategy: strategies run on the engine's kernel thread and may use the contract (ArbBot.Abstractions), numbers, text and collections only: no files, network, threads, timers, reflection, process or native memory");
        }
    }

    /// <summary>Whether a type is the strategy's own, the contract's, or an allowed part of the base library (its generic arguments are checked where they are named).</summary>
    private static bool Allowed(INamedTypeSymbol type, Compilation compilation)
    {
        INamedTypeSymbol definition = type.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, compilation.Assembly))
        {
            return true; // declared in the strategy (or its #load helpers)
        }

        for (INamedTypeSymbol? outer = definition; outer is not null; outer = outer.ContainingType)
        {
            if (s_allowedTypes.Contains(FullName(outer)))
            {
                return true;
            }
        }

        return s_allowedNamespaces.Contains(definition.ContainingNamespace?.ToDisplayString() ?? "");
    }

    private static bool IsEngineOnly(ISymbol symbol, INamedTypeSymbol type) =>
        symbol is not INamedTypeSymbol && s_engineOnlyMembers.Contains($"{FullName(type.OriginalDefinition)}.{symbol.Name}");

    private static string FullName(INamedTypeSymbol type) =>
        (type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." : "") + type.Name;

    /// <summary>A construct refused whatever it names, or null.</summary>
    private static string? Construct(SyntaxNode node) => node switch
    {
        DestructorDeclarationSyntax => "a finalizer",
        UnsafeStatementSyntax => "unsafe code",
        PointerTypeSyntax or FunctionPointerTypeSyntax => "a pointer",
        FixedStatementSyntax => "a fixed statement",
        StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax => "stackalloc",
        BaseMethodDeclarationSyntax m when m.Modifiers.Any(SyntaxKind.ExternKeyword) => "an extern method",
        MemberDeclarationSyntax m when m.Modifiers.Any(SyntaxKind.UnsafeKeyword) => "unsafe code",
        LocalFunctionStatementSyntax f when f.Modifiers.Any(SyntaxKind.UnsafeKeyword) || f.Modifiers.Any(SyntaxKind.ExternKeyword) => "unsafe code",
        _ => null,
    };

    private static string Why(string construct) => construct switch
    {
        "a finalizer" => "it runs on the finalizer thread, outside every budget, and one that throws ends the engine",
        "stackalloc" => "a large one overflows the kernel thread's stack, which ends the engine",
        _ => "it reads and writes memory outside the checks of safe code",
    };

    private static void Report(SyntaxNode node, List<ScriptDiagnostic> problems, string message)
    {
        FileLinePositionSpan where = node.GetLocation().GetLineSpan();
        problems.Add(new ScriptDiagnostic(where.Path, where.StartLinePosition.Line + 1, where.StartLinePosition.Character + 1, "ARB001", message));
    }
}
