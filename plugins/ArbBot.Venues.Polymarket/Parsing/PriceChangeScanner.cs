using System.Buffers.Text;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Toolkit.Parsing;

namespace ArbBot.Venues.Polymarket.Parsing;

/// <summary>
/// The fast path for the frame that matters for speed, a <c>price_change</c> in the current
/// <c>price_changes[]</c> form: one forward scan over the bytes (<see cref="FrameScanner"/>),
/// fields in any order, token ids left as ranges of the frame for the feed to look up as bytes.
/// It takes only what the general decoder would read the same way: one plain object (printable
/// ASCII, no escapes) with <c>event_type</c>, <c>market</c>, <c>price_changes</c> and
/// <c>timestamp</c> once each, changes whose ids, prices, sizes and sides are strings, scalars
/// elsewhere, at most as many changes as fit the caller's buffer. Anything else answers false and
/// the frame goes to the general decoder, which reads every valid frame and names what is wrong
/// with the others (a test feeds both the same random frames and compares the books).
/// </summary>
internal static class PriceChangeScanner
{
    public static bool TryScan(ReadOnlySpan<byte> frame, Span<PriceLevelChange> changes, out int count, out long timestampMs)
    {
        count = 0;
        timestampMs = 0;
        int words = FrameScanner.QuoteWords(frame.Length);
        if (words == 0)
        {
            return false; // a frame this long is a book dump, never a price change
        }

        Span<ulong> quotes = stackalloc ulong[words];
        if (!FrameScanner.MarkQuotes(frame, quotes))
        {
            return false;
        }

        var scan = new FrameScanner(frame, quotes);
        bool isPriceChange = false, haveType = false, haveMarket = false, haveChanges = false, haveTimestamp = false;
        if (!scan.Expect((byte)'{'))
        {
            return false;
        }

        bool more = true;
        while (more)
        {
            if (!scan.Key(out ReadOnlySpan<byte> key))
            {
                return false;
            }

            bool ok;
            if (key.SequenceEqual("event_type"u8) && !haveType)
            {
                ok = scan.Text(out ReadOnlySpan<byte> type);
                isPriceChange = type.SequenceEqual("price_change"u8);
                haveType = true;
            }
            else if (key.SequenceEqual("market"u8) && !haveMarket)
            {
                ok = scan.SkipScalar();
                haveMarket = true;
            }
            else if (key.SequenceEqual("price_changes"u8) && !haveChanges)
            {
                ok = Changes(frame, ref scan, changes, out count);
                haveChanges = true;
            }
            else if (key.SequenceEqual("timestamp"u8) && !haveTimestamp)
            {
                // A string of digits, read as the general decoder reads it; a number is left to that decoder.
                ok = scan.Text(out ReadOnlySpan<byte> digits) && Utf8Parser.TryParse(digits, out timestampMs, out int used) && used == digits.Length;
                haveTimestamp = true;
            }
            else
            {
                return false; // a field the general decoder reads (or refuses) in its own way
            }

            if (!ok || !scan.Next(out more))
            {
                return false;
            }
        }

        return isPriceChange && count > 0 && scan.AtEnd();
    }

    /// <summary>The array of changes, each an object of scalars; false if there are more than <paramref name="changes"/> holds.</summary>
    private static bool Changes(ReadOnlySpan<byte> frame, ref FrameScanner scan, Span<PriceLevelChange> changes, out int count)
    {
        count = 0;
        if (!scan.Expect((byte)'['))
        {
            return false;
        }

        if (scan.Expect((byte)']'))
        {
            return true; // none: the general decoder reads the older flat form instead
        }

        bool more = true;
        while (more)
        {
            if (count == changes.Length || !scan.Expect((byte)'{') || !Change(frame, ref scan, out changes[count]) || !scan.Next(out more, (byte)']'))
            {
                return false;
            }

            count++;
        }

        return true;
    }

    private static bool Change(ReadOnlySpan<byte> frame, ref FrameScanner scan, out PriceLevelChange change)
    {
        change = default;
        if (scan.Expect((byte)'}'))
        {
            return true; // an empty change: the feed refuses the message for it, as the general decoder does
        }

        int next = 0; // the field the venue's usual order has next (Field - 1)
        bool more = true;
        while (more)
        {
            // The usual order costs one comparison of the key's bytes; any other order is read by the key.
            Field field;
            if (next < UsualFields && scan.Literal(UsualKey(next)))
            {
                field = (Field)(++next);
            }
            else if (scan.Key(out ReadOnlySpan<byte> key))
            {
                field = FieldOf(key);
                next = field == Field.Other ? next : (int)field;
            }
            else
            {
                return false;
            }

            bool ok;
            switch (field)
            {
                case Field.AssetId:
                    ok = scan.Text(out ReadOnlySpan<byte> asset);
                    change.AssetStart = scan.Position - asset.Length - 1; // the id ends just before the quote the scan passed
                    change.AssetLength = asset.Length;
                    change.HaveAsset = ok;
                    break;
                case Field.Price:
                    ok = scan.Text(out ReadOnlySpan<byte> price);
                    change.HavePrice = Price.TryParse(price, out change.Price);
                    break;
                case Field.Size:
                    ok = scan.Text(out ReadOnlySpan<byte> size);
                    change.HaveSize = Quantity.TryParse(size, out change.Size);
                    break;
                case Field.Side:
                    ok = scan.Text(out ReadOnlySpan<byte> side);
                    change.Side = side.SequenceEqual("SELL"u8) ? OrderSide.Sell : OrderSide.Buy;
                    change.HaveSide = side.SequenceEqual("BUY"u8) || side.SequenceEqual("SELL"u8);
                    break;
                case Field.BestBid:
                    ok = VenueTop(ref scan, out change.BestBid);
                    break;
                case Field.BestAsk:
                    ok = VenueTop(ref scan, out change.BestAsk);
                    break;
                default:
                    ok = scan.SkipScalar();
                    break;
            }

            if (!ok || !scan.Next(out more))
            {
                return false;
            }
        }

        return true;
    }

    private const int UsualFields = 7;

    /// <summary>The key (quoted, with its colon) of the field at <paramref name="index"/> in the order the venue sends a change's fields.</summary>
    private static ReadOnlySpan<byte> UsualKey(int index) => index switch
    {
        0 => "\"asset_id\":"u8,
        1 => "\"price\":"u8,
        2 => "\"side\":"u8,
        3 => "\"size\":"u8,
        4 => "\"hash\":"u8,
        5 => "\"best_bid\":"u8,
        _ => "\"best_ask\":"u8,
    };

    /// <summary>Which field a key names: by its length first, so most keys meet one comparison.</summary>
    private static Field FieldOf(ReadOnlySpan<byte> key) => key.Length switch
    {
        4 => key.SequenceEqual("size"u8) ? Field.Size : key.SequenceEqual("side"u8) ? Field.Side : key.SequenceEqual("hash"u8) ? Field.Hash : Field.Other,
        5 => key.SequenceEqual("price"u8) ? Field.Price : Field.Other,
        8 => key.SequenceEqual("asset_id"u8) ? Field.AssetId : key.SequenceEqual("best_bid"u8) ? Field.BestBid : key.SequenceEqual("best_ask"u8) ? Field.BestAsk : Field.Other,
        _ => Field.Other,
    };

    /// <summary>A change's fields, numbered in the order the venue sends them (<see cref="UsualKey"/>).</summary>
    private enum Field
    {
        Other,
        AssetId,
        Price,
        Side,
        Size,
        Hash,
        BestBid,
        BestAsk,
    }

    /// <summary>A top the change carries, as the general decoder reads it: a string that parses to a price between 0 and 1, else zero (null, "0", "1", a number).</summary>
    private static bool VenueTop(ref FrameScanner scan, out Price top)
    {
        top = Price.Zero;
        if (!scan.AtString())
        {
            return scan.SkipScalar();
        }

        if (!scan.Text(out ReadOnlySpan<byte> text))
        {
            return false;
        }

        if (Price.TryParse(text, out Price price) && price.IsValidBinaryPrice)
        {
            top = price;
        }

        return true;
    }
}
