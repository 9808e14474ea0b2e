namespace ArbBot.Abstractions.Discovery;

/// <summary>
/// Which markets to list. Every filter is optional; a venue applies those it understands and
/// says which it cannot (<see cref="NotSupportedException"/>) rather than ignore one silently.
/// </summary>
/// <param name="Series">A series or tag (Kalshi series ticker, Polymarket tag slug).</param>
/// <param name="Event">One event (Kalshi event ticker, Polymarket event slug).</param>
/// <param name="Status">open, closed, settled, or null for any.</param>
/// <param name="Text">Text that must appear in the title (case-insensitive).</param>
/// <param name="Limit">At most this many markets (the venue pages through its listing until then).</param>
public sealed record MarketQuery(string? Series = null, string? Event = null, string? Status = "open", string? Text = null, int Limit = 200);
