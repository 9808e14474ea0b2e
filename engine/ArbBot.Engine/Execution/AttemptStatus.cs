namespace ArbBot.Engine.Execution;

/// <summary>How an attempt (one intent group turned into orders) stands.</summary>
public enum AttemptStatus : byte
{
    /// <summary>Some order is still working.</summary>
    Working,

    /// <summary>Every leg filled in full.</summary>
    Filled,

    /// <summary>Legs filled unequally: the excess was handed to the legged policy.</summary>
    Legged,

    /// <summary>Some legs filled (equally), the rest did not: a smaller complete trade.</summary>
    PartiallyFilled,

    /// <summary>Nothing filled.</summary>
    Unfilled,
}
