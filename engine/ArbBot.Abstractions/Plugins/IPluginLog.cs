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
    void Error(string message, Exception? exception = null);
}
