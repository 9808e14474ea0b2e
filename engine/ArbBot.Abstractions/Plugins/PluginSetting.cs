namespace ArbBot.Abstractions.Plugins;

/// <summary>One key a plugin accepts under its venue's <c>settings:</c> in arbbot.yaml.</summary>
/// <param name="Key">The key, snake_case.</param>
/// <param name="Description">What it sets, with its unit.</param>
/// <param name="DefaultValue">Used when absent; null means the key is required.</param>
public sealed record PluginSetting(string Key, string Description, string? DefaultValue);
