using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Storage.Recording;

namespace ArbBot.Engine.Hosting;

/// <summary>How an <see cref="EngineHost"/> runs: live (the default), live while recording, or replaying.</summary>
public sealed class EngineHostOptions
{
    /// <summary>Live on the system clock.</summary>
    public static EngineHostOptions Live { get; } = new();

    /// <summary>The engine's clock (a <see cref="Replay.VirtualClock"/> when replaying).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Replaying: no connectors or executors are created and nothing is sent anywhere; each venue
    /// gets its plugin's frame decoder (or takes recorded events), every venue fills on the engine's
    /// paper executor, the kernel runs inline on the caller's thread, the kill switch is not polled.
    /// </summary>
    public bool Replay { get; init; }

    /// <summary>Records every venue's messages (or decoded events) into this recording while running live.</summary>
    public SessionRecorder? Recorder { get; init; }

    /// <summary>Replay: book styles the recording declares, by venue name (used for venues without a frame decoder).</summary>
    public IReadOnlyDictionary<string, BookStyle> RecordedStyles { get; init; } = new Dictionary<string, BookStyle>();

    /// <summary>
    /// Refuse to start when a configured strategy cannot start (a missing file, a compile error, a
    /// bad parameter), before the kernel runs: <see cref="EngineHost.StartAsync"/> throws
    /// <see cref="StrategyStartException"/>. Off: the engine runs without it until its file is fixed.
    /// </summary>
    public bool RequireAllStrategies { get; init; }

    /// <summary>
    /// Makes the strategy compiler, given the compile cache's directory. Null: Roslyn in this process
    /// (<see cref="Scripting.ScriptCompiler"/>). <c>arbbot run</c> compiles in a process of its own
    /// (<see cref="Scripting.OutOfProcess.OutOfProcessCompiler"/>), so the compiler never enters the trading process.
    /// The host disposes what it makes.
    /// </summary>
    public Func<string, Strategies.Compilation.IStrategyCompiler>? StrategyCompiler { get; init; }

    /// <summary>
    /// One full, compacting collection that also returns the freed memory to the system, just before the
    /// kernel starts (nothing trades yet). Start-up leaves garbage in the oldest generation (the config's
    /// YAML tree, plugin loading, the strategies' load) that a long-running process would otherwise carry:
    /// 15-20 MB of a 10,000-market <c>arbbot run</c> (docs/performance.md). <c>arbbot run</c> sets it; tests
    /// and tools that start many hosts in one process leave it off.
    /// </summary>
    public bool CollectStartupGarbage { get; init; }
}
