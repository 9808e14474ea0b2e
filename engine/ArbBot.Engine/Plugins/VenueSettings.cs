using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Plugins;

/// <summary>A venue's <c>settings:</c> checked against its plugin's schema, with the plugin's defaults filled in.</summary>
public static class VenueSettings
{
    /// <summary>
    /// Every key must be one the plugin accepts, and every required key present; otherwise a
    /// <see cref="ConfigException"/> names the file, line and key.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Validate(string sourcePath, VenueConfig venue, PluginDescriptor descriptor)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, string value) in venue.Settings)
        {
            if (!descriptor.Settings.Any(s => s.Key == key))
            {
                string expected = string.Join(", ", descriptor.Settings.Select(s => s.Key));
                throw new ConfigException(sourcePath, venue.SettingLines[key], $"unknown key venues.{venue.Name}.settings.{key} for plugin {descriptor.Name} (expected one of: {expected})");
            }

            result[key] = value;
        }

        foreach (PluginSetting setting in descriptor.Settings)
        {
            if (!result.ContainsKey(setting.Key))
            {
                result[setting.Key] = setting.DefaultValue
                    ?? throw new ConfigException(sourcePath, venue.Line, $"venues.{venue.Name}.settings.{setting.Key} is required by plugin {descriptor.Name}: {setting.Description}");
            }
        }

        return result;
    }
}
