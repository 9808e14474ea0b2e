using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ArbBot.Engine.Strategies.Scripting;

/// <summary>
/// Strategies run on the kernel thread: they must not block, wait, do I/O or reach around the
/// contract. This finds every use of an API that would (files, network, threads and tasks,
/// processes, reflection, native interop, the console, the environment) and reports it where it is.
/// </summary>
internal static class ForbiddenApis
{
    private static readonly string[] s_namespaces =
    [
        "System.IO",
        "System.Net",
        "System.Threading",
        "System.Diagnostics",
        "System.Reflection",
        "System.Runtime.InteropServices",
        "System.Runtime.Loader",
        "Microsoft.Win32",
    ];

    private static readonly string[] s_types = ["System.Console", "System.Environment", "System.AppDomain", "System.GC", "System.Activator", "System.Type"];

    // Harmless members of otherwise forbidden namespaces.
    private static readonly string[] s_allowedTypes = ["System.Threading.Interlocked", "System.Threading.Volatile", "System.Threading.CancellationToken"];

    public static void Check(Compilation compilation, SyntaxTree tree, List<ScriptDiagnostic> problems)
    {
        SemanticModel model = compilation.GetSemanticModel(tree);
        foreach (SyntaxNode node in tree.GetRoot().DescendantNodes())
        {
            if (node is not (IdentifierNameSyntax or GenericNameSyntax))
            {
                continue;
            }

            ISymbol? symbol = model.GetSymbolInfo(node).Symbol;
            INamedTypeSymbol? type = symbol as INamedTypeSymbol ?? symbol?.ContainingType;
            if (type is null)
            {
                continue;
            }

            string name = type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
            string ns = type.ContainingNamespace?.ToDisplayString() ?? "";
            bool forbidden = (s_types.Contains(name) || s_namespaces.Any(n => ns == n || ns.StartsWith(n + ".", StringComparison.Ordinal)))
                && !s_allowedTypes.Contains(name);
            if (forbidden)
            {
                FileLinePositionSpan where = node.GetLocation().GetLineSpan();
                problems.Add(new ScriptDiagnostic(
                    where.Path,
                    where.StartLinePosition.Line + 1,
                    where.StartLinePosition.Character + 1,
                    "ARB001",
                    $"{name} is not allowed in a strategy: strategies run on the engine's kernel thread and must not block, do I/O or use reflection"));
            }
        }
    }
}
