using System.Reflection;
using System.Security.Cryptography;
using ArbBot.Abstractions.Plugins;

namespace ArbBot.Engine.Plugins;

/// <summary>
/// Loads venue plugins: a DLL path, or a plugin name looked up as <c>{dir}/{name}/{name}.dll</c>
/// in the search folders. Each plugin gets its own collectible context; the DLL is read into
/// memory so a new build can overwrite it and be loaded again without a restart.
/// </summary>
public sealed class PluginLoader
{
    private static readonly Version s_contractAssemblyVersion = typeof(IVenuePlugin).Assembly.GetName().Version!;
    private readonly Dictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase); // plugin names found, so each is loaded once to read it

    /// <summary>Creates a loader.</summary>
    /// <param name="searchDirectories">Folders to scan and to resolve plugin names in.</param>
    public PluginLoader(IReadOnlyList<string> searchDirectories)
    {
        SearchDirectories = searchDirectories;
    }

    /// <summary>Folders where plugins are looked for.</summary>
    public IReadOnlyList<string> SearchDirectories { get; }

    /// <summary>Turns a config value (a path to a .dll, or a plugin name) into a DLL path; null if nothing matches.</summary>
    public string? Resolve(string pluginReference, string baseDirectory)
    {
        if (pluginReference.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            string full = System.IO.Path.GetFullPath(pluginReference, baseDirectory);
            return File.Exists(full) ? full : null;
        }

        foreach (string dir in SearchDirectories)
        {
            string candidate = System.IO.Path.Combine(dir, pluginReference, pluginReference + ".dll");
            if (File.Exists(candidate))
            {
                return System.IO.Path.GetFullPath(candidate);
            }
        }

        return ResolveByName(pluginReference);
    }

    /// <summary>
    /// The plugin whose own name (what <c>arbbot plugins list</c> shows, e.g. <c>kalshi</c>) is the
    /// reference: each plugin found is loaded once to read its name, then unloaded. The first in
    /// search order wins; null if none has it. Only a name found is remembered (while its file is
    /// there): a plugin dropped in later under a name not found before is found then.
    /// </summary>
    private string? ResolveByName(string name)
    {
        lock (_byName)
        {
            if (_byName.TryGetValue(name, out string? known) && File.Exists(known))
            {
                return known;
            }

            string? found = null;
            foreach (string path in Scan())
            {
                try
                {
                    LoadedPlugin plugin = Load(path);
                    bool match = string.Equals(plugin.Descriptor.Name, name, StringComparison.OrdinalIgnoreCase);
                    plugin.Unload();
                    if (match)
                    {
                        found = path;
                        break;
                    }
                }
                catch (PluginLoadException)
                {
                    // a file that does not load has no name to match; the venue that names it directly says why
                }
            }

            if (found is not null)
            {
                _byName[name] = found;
            }

            return found;
        }
    }

    /// <summary>Every plugin DLL found in the search folders (<c>{dir}/{name}/{name}.dll</c>).</summary>
    public IReadOnlyList<string> Scan()
    {
        var found = new List<string>();
        foreach (string dir in SearchDirectories)
        {
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (string sub in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
            {
                string candidate = System.IO.Path.Combine(sub, System.IO.Path.GetFileName(sub) + ".dll");
                if (File.Exists(candidate))
                {
                    found.Add(System.IO.Path.GetFullPath(candidate));
                }
            }
        }

        return found;
    }

    /// <summary>Loads one plugin. Throws <see cref="PluginLoadException"/> naming the file on any problem.</summary>
    public static LoadedPlugin Load(string dllPath)
    {
        string path = System.IO.Path.GetFullPath(dllPath);
        if (!File.Exists(path))
        {
            throw new PluginLoadException(path, "file not found");
        }

        string hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        var context = new PluginLoadContext(path);
        try
        {
            Assembly assembly;
            try
            {
                assembly = context.LoadMain(path);
            }
            catch (BadImageFormatException ex)
            {
                throw new PluginLoadException(path, "not a .NET assembly", ex);
            }

            AssemblyName? contract = assembly.GetReferencedAssemblies()
                .FirstOrDefault(a => string.Equals(a.Name, "ArbBot.Abstractions", StringComparison.OrdinalIgnoreCase));
            if (contract is null)
            {
                throw new PluginLoadException(path, "does not reference ArbBot.Abstractions; not an ArbBot plugin");
            }

            if (contract.Version is { } v && v.Major != s_contractAssemblyVersion.Major)
            {
                throw new PluginLoadException(
                    path, $"built against ArbBot.Abstractions {v}, but this engine has {s_contractAssemblyVersion}; rebuild the plugin");
            }

            ArbBotPluginAttribute attribute = assembly.GetCustomAttribute<ArbBotPluginAttribute>()
                ?? throw new PluginLoadException(path, "has no [assembly: ArbBotPlugin(...)] attribute naming its entry type");
            string built = $"{attribute.ContractVersion}.{attribute.ContractMinor}";
            if (attribute.ContractVersion != ContractInfo.Version)
            {
                throw new PluginLoadException(
                    path, $"built for contract version {built}, but this engine speaks version {ContractInfo.Text}; rebuild the plugin");
            }

            if (attribute.ContractMinor > ContractInfo.Minor)
            {
                throw new PluginLoadException(
                    path, $"built for contract version {built}, newer than this engine's {ContractInfo.Text}; upgrade the engine or build the plugin against {ContractInfo.Text}");
            }

            if (!typeof(IVenuePlugin).IsAssignableFrom(attribute.PluginType))
            {
                throw new PluginLoadException(path, $"entry type {attribute.PluginType.FullName} does not implement IVenuePlugin");
            }

            if (!Implements(attribute.PluginType, nameof(IVenuePlugin.Open)) && !Implements(attribute.PluginType, nameof(IVenuePlugin.CreateConnector)))
            {
                throw new PluginLoadException(path, $"entry type {attribute.PluginType.FullName} implements neither IVenuePlugin.Open nor CreateConnector: it cannot open a venue");
            }

            IVenuePlugin plugin;
            try
            {
                plugin = (IVenuePlugin)(Activator.CreateInstance(attribute.PluginType)
                    ?? throw new PluginLoadException(path, $"could not create {attribute.PluginType.FullName}"));
                _ = plugin.Descriptor ?? throw new PluginLoadException(path, "Descriptor is null");
            }
            catch (Exception ex) when (ex is not PluginLoadException)
            {
                Exception cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
                throw new PluginLoadException(path, $"entry type {attribute.PluginType.FullName} threw while starting: {cause.Message}", cause);
            }

            return new LoadedPlugin(path, plugin, context, hash);
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    /// <summary>Whether the plugin type has its own body for an <see cref="IVenuePlugin"/> member (not the interface's default).</summary>
    private static bool Implements(Type pluginType, string member)
    {
        InterfaceMapping map = pluginType.GetInterfaceMap(typeof(IVenuePlugin));
        for (int i = 0; i < map.InterfaceMethods.Length; i++)
        {
            if (map.InterfaceMethods[i].Name == member)
            {
                return map.TargetMethods[i].DeclaringType != typeof(IVenuePlugin);
            }
        }

        return false;
    }
}
