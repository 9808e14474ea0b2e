using System.Reflection;
using System.Runtime.Loader;

namespace ArbBot.Engine.Strategies;

/// <summary>
/// One compiled strategy version in a collectible context. Everything it references (the
/// contract, the base library) resolves from the host, so it shares the engine's types; when the
/// version is replaced and its objects are dropped, the context and its code are collected.
/// </summary>
internal sealed class StrategyLoadContext : AssemblyLoadContext
{
    public StrategyLoadContext(string name)
        : base($"strategy:{name}", isCollectible: true)
    {
    }

    public Assembly Load(byte[] image, byte[]? symbols)
    {
        using var assembly = new MemoryStream(image);
        if (symbols is null)
        {
            return LoadFromStream(assembly);
        }

        using var pdb = new MemoryStream(symbols);
        return LoadFromStream(assembly, pdb);
    }

    protected override Assembly? Load(AssemblyName assemblyName) => null;
}
