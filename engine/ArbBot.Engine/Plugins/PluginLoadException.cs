namespace ArbBot.Engine.Plugins;

/// <summary>A plugin could not be loaded; the message names the file and what was wrong.</summary>
public sealed class PluginLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PluginLoadException(string path, string message, Exception? inner = null)
        : base($"{path}: {message}", inner)
    {
        PluginPath = path;
    }

    /// <summary>The plugin file.</summary>
    public string PluginPath { get; }
}
