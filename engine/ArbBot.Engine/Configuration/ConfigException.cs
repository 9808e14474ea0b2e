namespace ArbBot.Engine.Configuration;

/// <summary>A configuration error, with the message already in the form <c>file:line: key must be ..., was "..."</c>.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigException(string file, long line, string message, Exception? inner = null)
        : base($"{file}:{line}: {message}", inner)
    {
        File = file;
        Line = line;
    }

    /// <summary>The config file.</summary>
    public string File { get; }

    /// <summary>1-based line of the offending key or value.</summary>
    public long Line { get; }
}
