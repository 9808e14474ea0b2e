using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Abstractions.Plugins;

/// <summary>Everything the engine gives a plugin when it creates a connector or executor for a configured venue.</summary>
public sealed class VenueContext
{
    /// <summary>Creates a context.</summary>
    public VenueContext(
        string venueName,
        IReadOnlyDictionary<string, string> settings,
        IVenueEventSink books,
        IExecutionEventSink executions,
        IPluginLog log,
        TimeProvider clock)
    {
        VenueName = venueName;
        Settings = settings;
        Books = books;
        Executions = executions;
        Log = log;
        Clock = clock;
    }

    /// <summary>The venue's name in the config ("sim-kalshi"); several venues may share one plugin.</summary>
    public string VenueName { get; }

    /// <summary>The venue's <c>settings:</c> from arbbot.yaml, with the plugin's defaults filled in.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Where market data goes.</summary>
    public IVenueEventSink Books { get; }

    /// <summary>Where order updates and fills go.</summary>
    public IExecutionEventSink Executions { get; }

    /// <summary>The engine's log.</summary>
    public IPluginLog Log { get; }

    /// <summary>The engine's clock (virtual during replay).</summary>
    public TimeProvider Clock { get; }

    /// <summary>The folder of the config file: relative paths in settings (key files) are relative to it, as every path in arbbot.yaml is.</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Where received messages go while the engine records a session; null when it does not.</summary>
    public IFrameRecorder? Recorder { get; init; }
}
