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
}
