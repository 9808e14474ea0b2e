namespace ArbBot.Engine.Strategies.Compilation;

/// <summary>
/// Turns a strategy file into an assembly image, or errors as file:line:column. The engine core
/// only loads and runs images; the shipped compiler (Roslyn, with the allow-list and the budget
/// rewriter) lives in ArbBot.Engine.Scripting.
/// </summary>
public interface IStrategyCompiler
{
    /// <summary>Compiles (or takes from the cache) one strategy file and its #load helpers. Thread-safe.</summary>
    ScriptCompilation Compile(string file);

    /// <summary>
    /// Readies the compiler for a fast first compile (loads and JIT-compiles it) when every
    /// strategy came from the cache: a strategy added or edited while running then goes live in
    /// a fraction of a second instead of several. Slow; call off the kernel thread.
    /// </summary>
    void WarmUp();
}
