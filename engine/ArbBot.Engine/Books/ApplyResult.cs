namespace ArbBot.Engine.Books;

/// <summary>What happened to one book event in the store. Everything but <see cref="Applied"/> is counted and reported.</summary>
public enum ApplyResult : byte
{
    /// <summary>The book changed.</summary>
    Applied = 0,

    /// <summary>The book is stale (awaiting a snapshot); the delta was dropped.</summary>
    IgnoredStale = 1,

    /// <summary>The delta's sequence did not follow the last one: new epoch, book stale, snapshot needed.</summary>
    SequenceGap = 2,

    /// <summary>Invalid for this book (price outside (0, 1), ask on a bids-only venue, negative size, unknown market).</summary>
    Rejected = 3,

    /// <summary>A signed change took a level below zero: the book no longer matches the venue; new epoch, snapshot needed.</summary>
    NegativeLevel = 4,
}
