using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Engine.Execution;

/// <summary>
/// The entrance of fills to the decision pipeline: each venue trade id is let through once. A
/// repeat that says the same (a reconnect replaying fills, the socket's copy and the account's)
/// is dropped quietly; a repeat that says something else (another order, price or size: a plugin
/// that restarted its trade id counter) is dropped too, but as a conflict the caller alerts on,
/// since one of the two fills is real and reconciliation with the venue must settle it.
/// Fills restored from the fill log are remembered first. Kernel thread only.
/// </summary>
public sealed class FillGate
{
    private readonly Dictionary<(string Venue, string TradeId), Fingerprint> _seen = new();

    /// <summary>Repeats dropped that said the same.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Repeats dropped that said something else (each one alerted).</summary>
    public long Conflicts { get; private set; }

    /// <summary>Whether a venue trade id has come through (or was restored): the execution is counted.</summary>
    public bool Seen(string venue, string tradeId) => _seen.ContainsKey((venue, tradeId));

    /// <summary>Remembers a fill counted before (restored from the fill log).</summary>
    public void Remember(string venue, in Fill fill) => _seen.TryAdd((venue, fill.TradeId), Fingerprint.Of(fill));

    /// <summary>Whether a fill goes on: true the first time its trade id is seen on the venue; otherwise false, with <paramref name="conflict"/> set when it disagrees with the first (whose content <paramref name="first"/> describes).</summary>
    public bool Admit(string venue, in Fill fill, out bool conflict, out string first)
    {
        var print = Fingerprint.Of(fill);
        if (_seen.TryAdd((venue, fill.TradeId), print))
        {
            conflict = false;
            first = "";
            return true;
        }

        Fingerprint earlier = _seen[(venue, fill.TradeId)];
        conflict = earlier != print;
        first = earlier.ToString();
        if (conflict)
        {
            Conflicts++;
        }
        else
        {
            Duplicates++;
        }

        return false;
    }

    /// <summary>What must agree between two reports of one execution (fees, times and maker flags may be reported differently).</summary>
    private readonly record struct Fingerprint(string ClientOrderId, MarketHandle Market, Outcome Outcome, OrderSide Side, Price Price, Quantity Quantity)
    {
        public static Fingerprint Of(in Fill fill) => new(fill.ClientOrderId, fill.Market, fill.Outcome, fill.Side, fill.Price, fill.Quantity);

        public override string ToString() => $"{Side.ToString().ToLowerInvariant()} {Quantity} {Outcome.ToWireName()} at {Price} for order {ClientOrderId}";
    }
}
