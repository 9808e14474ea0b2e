namespace ArbBot.Engine.Strategies.Compilation;

/// <summary>The outcome of compiling one strategy: an assembly image and its symbols, or errors.</summary>
/// <param name="Source">What was compiled.</param>
/// <param name="Assembly">The IL image, or null on errors.</param>
/// <param name="Symbols">Portable PDB, so exceptions carry the script's line numbers.</param>
/// <param name="Errors">Compile errors, as file:line:column.</param>
/// <param name="FromCache">Whether the image came from the compile cache.</param>
/// <param name="Elapsed">Time spent reading, compiling and caching.</param>
public sealed record ScriptCompilation(
    IStrategySource Source,
    byte[]? Assembly,
    byte[]? Symbols,
    IReadOnlyList<ScriptDiagnostic> Errors,
    bool FromCache,
    TimeSpan Elapsed)
{
    /// <summary>Whether an assembly was produced.</summary>
    public bool Success => Assembly is not null && Errors.Count == 0;
}
