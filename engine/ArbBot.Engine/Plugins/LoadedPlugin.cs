using ArbBot.Abstractions.Plugins;

namespace ArbBot.Engine.Plugins;

/// <summary>A plugin loaded into its own context. Unload it when no connector or executor of it is running.</summary>
public sealed class LoadedPlugin
{
    private PluginLoadContext? _context;

    internal LoadedPlugin(string path, IVenuePlugin plugin, PluginLoadContext context, string fileHash)
    {
        Path = path;
        Plugin = plugin;
        Descriptor = plugin.Descriptor;
        _context = context;
        FileHash = fileHash;
    }

    /// <summary>Full path of the plugin DLL.</summary>
    public string Path { get; }

    /// <summary>The plugin's entry object.</summary>
    public IVenuePlugin Plugin { get; private set; }

    /// <summary>What the plugin says about itself.</summary>
    public PluginDescriptor Descriptor { get; }

    /// <summary>SHA-256 of the DLL at load time (a reload is skipped when it has not changed).</summary>
    public string FileHash { get; }

    /// <summary>
    /// Starts unloading the plugin's context and returns a weak reference to it: once every object
    /// from the plugin is unreachable and a GC has run, the reference dies.
    /// </summary>
    public WeakReference Unload()
    {
        PluginLoadContext context = _context ?? throw new InvalidOperationException($"{Path}: already unloaded");
        var weak = new WeakReference(context, trackResurrection: false);
        _context = null;
        Plugin = null!;
        context.Unload();
        return weak;
    }
}
