namespace ArbBot.Engine.Strategies.Compilation;

/// <summary>What was compiled for one strategy: its file and #load helpers, and the version they make together.</summary>
public interface IStrategySource
{
    /// <summary>The strategy file.</summary>
    string EntryFile { get; }

    /// <summary>The strategy file and its #load closure (helpers first).</summary>
    IReadOnlyList<(string Path, string Text)> Files { get; }

    /// <summary>A short hash of everything that went into the compilation.</summary>
    string Version { get; }
}
