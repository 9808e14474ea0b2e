using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Venues.Toolkit.Parsing;

namespace ArbBot.Venues.Kalshi.Parsing;

/// <summary>The fields of one <c>orderbook_delta</c> message, as read from the frame (the ticker points into it).</summary>
internal ref struct DeltaFields
{
    public ReadOnlySpan<byte> Ticker;
    public bool HaveTicker;
    public Price Price;
    public bool HavePrice;
    public Quantity Delta;
    public bool HaveDelta;
    public Outcome Outcome;
    public bool HaveSide;
    public long TimestampMs;
}

/// <summary>
/// The fast path for the one frame that matters for speed, <c>orderbook_delta</c>: a forward scan
/// over the bytes (<see cref="FrameScanner"/>) instead of a general JSON reader, reading Kalshi's
/// usual field order without looking at the keys and any other order by its keys. It accepts only
/// the plain shape Kalshi sends: printable ASCII without escapes, plain numbers, scalar fields in
/// the message. Anything else, including every frame that is not a delta, makes it answer false,
/// and the frame goes through the general decoder, which validates it fully and names what is
/// wrong. So it never accepts what the general decoder would refuse, and never decides
/// differently (tests run both on the same fixed and random frames).
/// </summary>
internal static class KalshiDeltaScanner
{
    private static ReadOnlySpan<byte> DeltaHead => "{\"type\":\"orderbook_delta\",\"sid\":"u8;

    public static bool TryScan(ReadOnlySpan<byte> frame, out int sid, out long seq, out DeltaFields msg)
    {
        if (!FrameScanner.IsPlain(frame))
        {
            sid = 0;
            seq = -1;
            msg = default;
            return false;
        }

        return (frame.StartsWith(DeltaHead) && UsualShape(frame, out sid, out seq, out msg)) || AnyOrder(frame, out sid, out seq, out msg);
    }

    /// <summary>
    /// The order Kalshi sends:
    /// <c>{"type":"orderbook_delta","sid":N,"seq":N,"msg":{"market_ticker":..,"market_id":..,"price_dollars":..,"delta_fp":..,"side":..</c>,
    /// then any further message fields read by their keys, and the two closing braces. A frame that
    /// strays from it anywhere is read again by <see cref="AnyOrder"/>.
    /// </summary>
    private static bool UsualShape(ReadOnlySpan<byte> frame, out int sid, out long seq, out DeltaFields msg)
    {
        msg = default;
        sid = 0;
        var scan = new FrameScanner(frame);
        if (!scan.Literal(DeltaHead) || !scan.WholeNumber(out long sidValue) || sidValue is < 0 or > int.MaxValue
            || !scan.Literal(",\"seq\":"u8) || !scan.WholeNumber(out seq)
            || !scan.Literal(",\"msg\":{\"market_ticker\":"u8) || !scan.Text(out msg.Ticker)
            || !scan.Literal(",\"market_id\":"u8) || !scan.Text(out _)
            || !scan.Literal(",\"price_dollars\":"u8) || !scan.Text(out ReadOnlySpan<byte> price)
            || !scan.Literal(",\"delta_fp\":"u8) || !scan.Text(out ReadOnlySpan<byte> delta)
            || !scan.Literal(",\"side\":"u8) || !scan.Text(out ReadOnlySpan<byte> side))
        {
            seq = -1;
            return false;
        }

        sid = (int)sidValue;
        msg.HaveTicker = true;
        msg.HavePrice = Price.TryParse(price, out msg.Price);
        msg.HaveDelta = Quantity.TryParse(delta, out msg.Delta);
        Side(side, ref msg);
        if (!scan.Next(out bool more))
        {
            return false;
        }

        if (more)
        {
            int at = scan.Position;
            if (!Fields(frame, ref at, ref msg))
            {
                return false;
            }

            scan = new FrameScanner(frame, at);
        }

        return scan.Expect((byte)'}') && scan.AtEnd();
    }

    /// <summary>Any order of fields, spaces between tokens.</summary>
    private static bool AnyOrder(ReadOnlySpan<byte> frame, out int sid, out long seq, out DeltaFields msg)
    {
        sid = 0;
        seq = -1;
        msg = default;
        bool isDelta = false, haveSid = false, haveMsg = false;
        var scan = new FrameScanner(frame);
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
            if (key.SequenceEqual("type"u8))
            {
                ok = scan.Text(out ReadOnlySpan<byte> type) && type.SequenceEqual("orderbook_delta"u8);
                isDelta = ok;
            }
            else if (key.SequenceEqual("sid"u8))
            {
                ok = scan.WholeNumber(out long value) && value is >= 0 and <= int.MaxValue;
                sid = (int)value;
                haveSid = ok;
            }
            else if (key.SequenceEqual("seq"u8))
            {
                ok = scan.WholeNumber(out seq);
            }
            else if (key.SequenceEqual("id"u8))
            {
                ok = scan.WholeNumber(out _); // the general decoder reads it as a number and refuses anything else
            }
            else if (key.SequenceEqual("msg"u8))
            {
                ok = scan.Expect((byte)'{');
                if (ok && !scan.Expect((byte)'}'))
                {
                    int at = scan.Position;
                    ok = Fields(frame, ref at, ref msg);
                    scan = new FrameScanner(frame, at);
                }

                haveMsg = ok;
            }
            else
            {
                ok = scan.SkipScalar();
            }

            if (!ok || !scan.Next(out more))
            {
                return false;
            }
        }

        return scan.AtEnd() && isDelta && haveSid && haveMsg;
    }

    /// <summary>The message's fields from a key at <paramref name="at"/> on, through its closing brace (<paramref name="at"/> moves past it).</summary>
    private static bool Fields(ReadOnlySpan<byte> frame, scoped ref int at, ref DeltaFields msg)
    {
        var scan = new FrameScanner(frame, at);
        bool ok = FieldsFrom(ref scan, ref msg);
        at = scan.Position;
        return ok;
    }

    private static bool FieldsFrom(ref FrameScanner scan, ref DeltaFields msg)
    {
        bool more = true;
        while (more)
        {
            if (!scan.Key(out ReadOnlySpan<byte> key))
            {
                return false;
            }

            bool ok;
            if (key.SequenceEqual("market_ticker"u8))
            {
                ok = scan.Text(out msg.Ticker);
                msg.HaveTicker = ok;
            }
            else if (key.SequenceEqual("price_dollars"u8))
            {
                ok = scan.Text(out ReadOnlySpan<byte> text);
                msg.HavePrice = ok && Price.TryParse(text, out msg.Price);
            }
            else if (key.SequenceEqual("delta_fp"u8))
            {
                ok = scan.Text(out ReadOnlySpan<byte> text);
                msg.HaveDelta = ok && Quantity.TryParse(text, out msg.Delta);
            }
            else if (key.SequenceEqual("side"u8))
            {
                ok = scan.Text(out ReadOnlySpan<byte> side);
                Side(side, ref msg);
            }
            else if (key.SequenceEqual("price"u8) && !msg.HavePrice)
            {
                ok = scan.WholeNumber(out long cents); // the older integer-cent field
                msg.HavePrice = ok;
                msg.Price = ok ? Price.FromCents(cents) : default;
            }
            else if (key.SequenceEqual("delta"u8) && !msg.HaveDelta)
            {
                ok = scan.WholeNumber(out long contracts);
                msg.HaveDelta = ok;
                msg.Delta = ok ? Quantity.FromContracts(contracts) : default;
            }
            else if (key.SequenceEqual("ts_ms"u8))
            {
                ok = scan.WholeNumber(out msg.TimestampMs);
            }
            else
            {
                ok = scan.SkipScalar();
            }

            if (!ok || !scan.Next(out more))
            {
                return false;
            }
        }

        return true;
    }

    private static void Side(ReadOnlySpan<byte> side, ref DeltaFields msg)
    {
        msg.HaveSide = side.SequenceEqual("yes"u8) || side.SequenceEqual("no"u8);
        msg.Outcome = side.SequenceEqual("no"u8) ? Outcome.No : Outcome.Yes;
    }
}
