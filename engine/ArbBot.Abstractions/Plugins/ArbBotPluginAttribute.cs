namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// Marks a plugin assembly and names its entry type, so the host never scans types:
/// <c>[assembly: ArbBotPlugin(typeof(MyVenuePlugin), ContractInfo.Version)]</c>.
/// The version is a constant, so it records the contract the plugin was compiled against.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class ArbBotPluginAttribute : Attribute
{
    /// <summary>Declares the plugin entry type and the contract version it was built for.</summary>
    public ArbBotPluginAttribute(Type pluginType, int contractVersion)
    {
        PluginType = pluginType;
        ContractVersion = contractVersion;
    }

    /// <summary>A public type implementing <see cref="IVenuePlugin"/> with a public parameterless constructor.</summary>
    public Type PluginType { get; }

    /// <summary>The <see cref="ContractInfo.Version"/> the plugin was compiled against.</summary>
    public int ContractVersion { get; }
}
