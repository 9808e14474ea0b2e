namespace ArbBot.Engine.Storage;

/// <summary>The fill log cannot be opened or read; the message names the file.</summary>
public sealed class FillLogException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FillLogException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
