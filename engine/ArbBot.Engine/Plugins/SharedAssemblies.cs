using System.Reflection;

namespace ArbBot.Engine.Plugins;

/// <summary>
/// The one rule of plugin loading, written down in one place: these assemblies always come from
/// the host, never from a plugin's folder, so their types are the same on both sides.
/// Everything else a plugin brings is its own.
/// </summary>
internal static class SharedAssemblies
{
    private static readonly HashSet<string> s_names = new(StringComparer.OrdinalIgnoreCase)
    {
        "ArbBot.Abstractions",
    };

    public static bool IsShared(AssemblyName name) => name.Name is not null && s_names.Contains(name.Name);
}
