using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Plugins;

namespace ArbBot.Engine.Hosting;

/// <summary>One configured venue while the engine runs: its plugin, connector, executor and subscriptions.</summary>
public sealed class VenueRuntime
{
    internal VenueRuntime(int index, VenueConfig config, VenueEventSink sink)
    {
        Index = index;
        Config = config;
        Sink = sink;
    }

    /// <summary>Venue index in the kernel.</summary>
    public int Index { get; }

    /// <summary>Configured name.</summary>
    public string Name => Config.Name;

    /// <summary>The venue's config entry.</summary>
    public VenueConfig Config { get; }

    /// <summary>Where its connector and executor write.</summary>
    public VenueEventSink Sink { get; }

    /// <summary>The loaded plugin, or null if loading failed.</summary>
    public LoadedPlugin? Plugin { get; internal set; }

    /// <summary>The plugin's session for this venue (its parts come from it), or null while it is not open.</summary>
    public IVenueSession? Session { get; internal set; }

    /// <summary>The running connector, or null.</summary>
    public IVenueConnector? Connector { get; internal set; }

    /// <summary>The executor, or null if the plugin does not trade or the venue failed.</summary>
    public IOrderExecutor? Executor { get; internal set; }

    /// <summary>Replay: the plugin's decoder of recorded messages (null for venues recorded as decoded events).</summary>
    public IRecordedFrameDecoder? Decoder { get; internal set; }

    /// <summary>Replay: the book style of a venue without a decoder.</summary>
    public BookStyle? ReplayStyle { get; internal set; }

    /// <summary>Settings with the plugin's defaults filled in.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; internal set; } = new Dictionary<string, string>();

    /// <summary>Markets this venue streams.</summary>
    public List<MarketSubscription> Subscriptions { get; } = new();

    /// <summary>Why the venue is not running, or null when it is.</summary>
    public string? Failure { get; internal set; }

    /// <summary>How many times its plugin has been reloaded.</summary>
    public int Reloads { get; internal set; }
}
