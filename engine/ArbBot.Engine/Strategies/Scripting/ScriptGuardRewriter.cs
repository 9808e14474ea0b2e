using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ArbBot.Engine.Strategies.Scripting;

/// <summary>
/// Inserts <c>ScriptBudget.Check()</c> at the top of every loop body and every method, local
/// function and accessor body of a strategy, so a call that runs past its budget can be stopped
/// at its next iteration or call. The inserted tokens carry no line breaks, so every line keeps
/// its number in the compiled code (stack traces point at the user's lines).
/// </summary>
internal sealed class ScriptGuardRewriter : CSharpSyntaxRewriter
{
    /// <summary>Part of the compile cache key: bump when the rewrite changes.</summary>
    public const int Version = 1;

    private static readonly StatementSyntax s_check = SyntaxFactory.ParseStatement("global::ArbBot.Abstractions.Strategies.ScriptBudget.Check();")
        .WithLeadingTrivia(SyntaxFactory.Space)
        .WithTrailingTrivia(SyntaxFactory.Space);

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node) =>
        ((WhileStatementSyntax)base.VisitWhileStatement(node)!).WithStatement(Guard(node.Statement, Visit));

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node) =>
        ((DoStatementSyntax)base.VisitDoStatement(node)!).WithStatement(Guard(node.Statement, Visit));

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node) =>
        ((ForStatementSyntax)base.VisitForStatement(node)!).WithStatement(Guard(node.Statement, Visit));

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node) =>
        ((ForEachStatementSyntax)base.VisitForEachStatement(node)!).WithStatement(Guard(node.Statement, Visit));

    public override SyntaxNode? VisitBlock(BlockSyntax node)
    {
        var visited = (BlockSyntax)base.VisitBlock(node)!;
        return node.Parent is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax
            ? visited.WithStatements(visited.Statements.Insert(0, s_check))
            : visited;
    }

    private static StatementSyntax Guard(StatementSyntax original, Func<SyntaxNode, SyntaxNode?> visit)
    {
        var body = (StatementSyntax)visit(original)!;
        if (body is BlockSyntax block)
        {
            return block.WithStatements(block.Statements.Insert(0, s_check));
        }

        // A single statement becomes "{ Check(); statement }" without adding lines.
        return SyntaxFactory.Block(
            SyntaxFactory.Token(SyntaxKind.OpenBraceToken),
            SyntaxFactory.List([s_check, body]),
            SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.Space));
    }
}
