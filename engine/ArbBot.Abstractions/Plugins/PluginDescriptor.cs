namespace ArbBot.Abstractions.Plugins;

/// <summary>What a plugin says about itself: shown by <c>arbbot plugins list</c> and checked by the host.</summary>
/// <param name="Name">Plugin name, for example "sim" or "kalshi".</param>
/// <param name="Version">The plugin's own version.</param>
/// <param name="Description">One line for humans.</param>
/// <param name="Capabilities">What it can do.</param>
/// <param name="Settings">Every settings key it accepts; anything else in the config is an error.</param>
public sealed record PluginDescriptor(
    string Name,
    string Version,
    string Description,
    VenueCapabilities Capabilities,
    IReadOnlyList<PluginSetting> Settings);
