using System.Reflection;
using System.Runtime.Loader;

namespace ArbBot.Engine.Plugins;

/// <summary>
/// A collectible load context for one plugin. Its own dependencies resolve through the plugin's
/// .deps.json (<see cref="AssemblyDependencyResolver"/>) and are read into memory, so the files
/// can be replaced while the engine runs. The contract assembly is never loaded here: it falls
/// through to the host's default context so that plugin and engine share one IVenuePlugin type.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string mainAssemblyPath)
        : base($"plugin:{Path.GetFileNameWithoutExtension(mainAssemblyPath)}", isCollectible: true)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    public Assembly LoadMain(string path) => LoadFromBytes(path);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (SharedAssemblies.IsShared(assemblyName))
        {
            return null;
        }

        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromBytes(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    private Assembly LoadFromBytes(string path)
    {
        using var assembly = new MemoryStream(File.ReadAllBytes(path));
        string pdbPath = Path.ChangeExtension(path, ".pdb");
        if (File.Exists(pdbPath))
        {
            using var symbols = new MemoryStream(File.ReadAllBytes(pdbPath));
            return LoadFromStream(assembly, symbols);
        }

        return LoadFromStream(assembly);
    }
}
