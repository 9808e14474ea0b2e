using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;

namespace ArbBot.Engine.Risk;

/// <summary>
/// What reconciliation allows, read by the risk checks and the legged policy on the kernel thread:
/// no order goes to a live venue before its account has been read back once (the engine's belief
/// about its orders and positions is unconfirmed until then), and no order goes on an event whose
/// positions the venue reports differently, until they agree again or an operator accepts the
/// venue's figure. Both apply to orders that reduce risk too: hedging a position the venue does not
/// have would make one.
/// </summary>
public sealed class AccountGate
{
    private readonly string?[] _venueWaits; // by venue index: why its orders wait, or null
    private readonly Dictionary<int, string> _eventMismatch = new();

    /// <summary>Creates the gate; the venues given wait for their first reconciliation.</summary>
    public AccountGate(int venueCount, IEnumerable<int> venuesToReconcile)
    {
        _venueWaits = new string?[venueCount];
        foreach (int venue in venuesToReconcile)
        {
            _venueWaits[venue] = "its account has not been read back from the venue yet";
        }
    }

    /// <summary>Why orders for a venue wait, or null when they may go.</summary>
    public string? VenueWait(int venueIndex) => (uint)venueIndex < (uint)_venueWaits.Length ? _venueWaits[venueIndex] : null;

    /// <summary>Why orders on an event wait, or null when they may go.</summary>
    public string? EventBlock(int eventIndex) => _eventMismatch.TryGetValue(eventIndex, out string? why) ? why : null;

    /// <summary>Whether anything on an event must wait: one of its markets' venues, or its positions (no allocation: checked every timer tick).</summary>
    public bool Blocks(int eventIndex, BookStore books, IReadOnlyList<MarketHandle> markets)
    {
        if (_eventMismatch.ContainsKey(eventIndex))
        {
            return true;
        }

        for (int i = 0; i < markets.Count; i++)
        {
            if (VenueWait(books[markets[i]].VenueIndex) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Events blocked now, with why.</summary>
    public IReadOnlyDictionary<int, string> BlockedEvents => _eventMismatch;

    internal void VenueReconciled(int venueIndex) => _venueWaits[venueIndex] = null;

    internal void VenueUnreconciled(int venueIndex, string why) => _venueWaits[venueIndex] = why;

    internal void Block(int eventIndex, string why) => _eventMismatch[eventIndex] = why;

    internal void Unblock(int eventIndex) => _eventMismatch.Remove(eventIndex);
}
