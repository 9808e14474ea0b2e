namespace ArbBot.Abstractions.Markets;

/// <summary>One of the two outcomes of a binary market.</summary>
public enum Outcome : byte
{
    /// <summary>The event happens; a YES contract pays $1 then.</summary>
    Yes = 0,

    /// <summary>The event does not happen; a NO contract pays $1 then.</summary>
    No = 1,
}
