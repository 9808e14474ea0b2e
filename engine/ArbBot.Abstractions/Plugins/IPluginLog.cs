namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// The engine's log, as a plugin sees it. One line per notable event; never per book update,
/// and never a secret.
/// </summary>
public interface IPluginLog
{
    /// <summary>Something worth knowing happened.</summary>
    void Info(string message);

    /// <summary>Something went wrong and was handled.</summary>
    void Warn(string message);

    /// <summary>Something went wrong that needs attention.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "Part of the published plugin contract (2.x); renaming it would break every plugin.")]
    void Error(string message, Exception? exception = null);
}
