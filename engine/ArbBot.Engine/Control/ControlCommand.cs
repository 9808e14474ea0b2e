namespace ArbBot.Engine.Control;

/// <summary>An operator's command to the kill switch, as text (<c>halt</c>, <c>flatten</c> or <c>clear</c>, optionally <c>:reason</c>), and who carried it.</summary>
public sealed record ControlCommand(string Text, string Source)
{
    /// <summary>The command word, lower case (halt, flatten, clear, or whatever else was sent).</summary>
    public string Verb
    {
        get
        {
            int colon = Text.IndexOf(':', StringComparison.Ordinal);
            return (colon < 0 ? Text : Text[..colon]).Trim().ToLowerInvariant();
        }
    }

    /// <summary>The reason after the colon, or a default naming the carrier.</summary>
    public string Reason
    {
        get
        {
            int colon = Text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? $"set through {Source}" : Text[(colon + 1)..].Trim();
        }
    }
}
