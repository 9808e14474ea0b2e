namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// Thrown by a plugin when one of its settings has a bad value. The host turns it into an
/// error naming the config file, line and key.
/// </summary>
public sealed class VenueSettingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The settings key at fault.</param>
    /// <param name="message">What was expected, for example "must be a positive integer, was \"abc\"".</param>
    public VenueSettingException(string key, string message)
        : base(message)
    {
        Key = key;
    }

    /// <summary>The settings key at fault.</summary>
    public string Key { get; }
}
