using ArbBot.Engine.Strategies.Compilation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ArbBot.Engine.Scripting;

/// <summary>
/// Inserts <c>ScriptBudget.Check()</c> at the top of every loop body, and <c>ScriptBudget.Enter()</c>
/// (the same, and a stack depth check) at the top of every method, local function, constructor and
/// accessor body of a strategy (expression-bodied methods and local functions become blocks), so a
/// call that runs past its budget is stopped at its next iteration or call and unbounded recursion
/// ends in an exception instead of a stack overflow that would kill the process. The inserted tokens
/// carry no line breaks, so every line keeps its number in the compiled code (stack traces point
/// at the user's lines).
/// </summary>
internal sealed class ScriptGuardRewriter : CSharpSyntaxRewriter
{
    /// <summary>Part of the compile cache key: bump when the rewrite changes.</summary>
    public const int Version = 2;

    private static readonly StatementSyntax s_check = SyntaxFactory.ParseStatement("global::ArbBot.Abstractions.Strategies.ScriptBudget.Check();")
        .WithLeadingTrivia(SyntaxFactory.Space)
        .WithTrailingTrivia(SyntaxFactory.Space);

    private static readonly StatementSyntax s_enter = SyntaxFactory.ParseStatement("global::ArbBot.Abstractions.Strategies.ScriptBudget.Enter();")
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
            ? visited.WithStatements(visited.Statements.Insert(0, s_enter))
            : visited;
    }

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        return visited.ExpressionBody is { } arrow && !visited.Modifiers.Any(SyntaxKind.AsyncKeyword)
            ? visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Body(arrow, visited.SemicolonToken, IsVoid(visited.ReturnType)))
            : visited;
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        return visited.ExpressionBody is { } arrow && !visited.Modifiers.Any(SyntaxKind.AsyncKeyword)
            ? visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Body(arrow, visited.SemicolonToken, IsVoid(visited.ReturnType)))
            : visited;
    }

    private static bool IsVoid(TypeSyntax type) => type is PredefinedTypeSyntax p && p.Keyword.IsKind(SyntaxKind.VoidKeyword);

    /// <summary>"=> expr;" becomes "{ Enter(); return expr; }" (or "{ Enter(); expr; }"), keeping every line break where it was.</summary>
    private static BlockSyntax Body(ArrowExpressionClauseSyntax arrow, SyntaxToken semicolon, bool isVoid)
    {
        ExpressionSyntax expression = arrow.Expression.WithTrailingTrivia();
        StatementSyntax statement = isVoid
            ? SyntaxFactory.ExpressionStatement(expression)
            : SyntaxFactory.ReturnStatement(SyntaxFactory.Token(SyntaxKind.ReturnKeyword).WithTrailingTrivia(SyntaxFactory.Space), expression, SyntaxFactory.Token(SyntaxKind.SemicolonToken));
        return SyntaxFactory.Block(
            SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(arrow.ArrowToken.LeadingTrivia).WithTrailingTrivia(arrow.ArrowToken.TrailingTrivia),
            SyntaxFactory.List([s_enter, statement]),
            SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(arrow.Expression.GetTrailingTrivia().Add(SyntaxFactory.Space)).WithTrailingTrivia(semicolon.TrailingTrivia));
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
