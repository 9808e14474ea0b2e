namespace ArbBot.Engine.Strategies.Compilation;

/// <summary>A compile problem in a strategy file, printed the way editors and compilers do.</summary>
/// <param name="File">Full path of the file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Id">Compiler id (CS0103) or ArbBot's (ARB001 for a forbidden API).</param>
/// <param name="Message">What is wrong.</param>
public sealed record ScriptDiagnostic(string File, int Line, int Column, string Id, string Message)
{
    /// <summary><c>file:line:column: error ID: message</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: error {Id}: {Message}";
}
