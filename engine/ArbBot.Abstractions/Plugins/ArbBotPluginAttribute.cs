namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// Marks a plugin assembly and names its entry type, so the host never scans types:
/// <c>[assembly: ArbBotPlugin(typeof(MyVenuePlugin), ContractInfo.Version, ContractInfo.Minor)]</c>.
/// The versions are constants, so they record the contract the plugin was compiled against.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class ArbBotPluginAttribute : Attribute
{
    /// <summary>Declares the plugin entry type and the contract version it was built for (minor 0: plugins from before minors).</summary>
    public ArbBotPluginAttribute(Type pluginType, int contractVersion)
        : this(pluginType, contractVersion, 0)
    {
    }

    /// <summary>Declares the plugin entry type and the contract version, major and minor, it was built for.</summary>
    public ArbBotPluginAttribute(Type pluginType, int contractVersion, int contractMinor)
    {
        PluginType = pluginType;
        ContractVersion = contractVersion;
        ContractMinor = contractMinor;
    }

    /// <summary>A public type implementing <see cref="IVenuePlugin"/> with a public parameterless constructor.</summary>
    public Type PluginType { get; }

    /// <summary>The <see cref="ContractInfo.Version"/> (major) the plugin was compiled against.</summary>
    public int ContractVersion { get; }

    /// <summary>The <see cref="ContractInfo.Minor"/> the plugin was compiled against.</summary>
    public int ContractMinor { get; }
}
