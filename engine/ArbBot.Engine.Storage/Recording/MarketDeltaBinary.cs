using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Storage.Recording;

/// <summary>
/// A level change in the native recording's compact form (<see cref="RecordKind.Delta"/>): the
/// common record of a venue recorded as decoded events, read back without parsing text. Layout,
/// little-endian: u8 outcome (0 yes, 1 no), u8 side (0 bid, 1 ask), u8 kind (0 set, 1 add),
/// u8 flags (1: more changes of the same update follow), i64 price in micro-dollars, i64 size in
/// micro-contracts, i64 sequence (0: none), i64 venue time in Unix ms (0: none), then the market id in UTF-8.
/// </summary>
public static class MarketDeltaBinary
{
    /// <summary>Bytes before the market id.</summary>
    public const int FixedLength = 4 + (4 * 8);

    /// <summary>Writes a delta; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> marketUtf8, in BookDelta delta)
    {
        destination[0] = (byte)(delta.Outcome == Outcome.Yes ? 0 : 1);
        destination[1] = (byte)(delta.Side == BookSide.Bid ? 0 : 1);
        destination[2] = (byte)(delta.Kind == DeltaKind.Set ? 0 : 1);
        destination[3] = (byte)(delta.IsLastInBatch ? 0 : 1);
        BinaryPrimitives.WriteInt64LittleEndian(destination[4..], delta.Price.Micros);
        BinaryPrimitives.WriteInt64LittleEndian(destination[12..], delta.Quantity.Micros);
        BinaryPrimitives.WriteInt64LittleEndian(destination[20..], delta.Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination[28..], delta.VenueTimestampMs);
        marketUtf8.CopyTo(destination[FixedLength..]);
        return FixedLength + marketUtf8.Length;
    }

    /// <summary>
    /// Reads a delta for a market in <paramref name="markets"/> and hands it to the sink. Returns
    /// null, or what is wrong with the record; <paramref name="unknownMarket"/> when the market is
    /// not replayed (skipped, as live). Allocates nothing.
    /// </summary>
    public static string? Apply(ReadOnlySpan<byte> payload, Dictionary<string, MarketHandle>.AlternateLookup<ReadOnlySpan<byte>> markets, long receivedTimestamp, IVenueEventSink sink, out bool unknownMarket)
    {
        unknownMarket = false;
        if (payload.Length <= FixedLength || payload.Length > FixedLength + 256 || payload[0] > 1 || payload[1] > 1 || payload[2] > 1 || payload[3] > 1)
        {
            return "not a level change (bad length or flag bytes)";
        }

        ReadOnlySpan<byte> id = payload[FixedLength..];
        if (!markets.TryGetValue(id, out MarketHandle market))
        {
            if (!Utf8.IsValid(id))
            {
                return "the market id is not UTF-8";
            }

            unknownMarket = true;
            return null;
        }

        var price = Price.FromMicros(BinaryPrimitives.ReadInt64LittleEndian(payload[4..]));
        var size = Quantity.FromMicros(BinaryPrimitives.ReadInt64LittleEndian(payload[12..]));
        DeltaKind kind = payload[2] == 0 ? DeltaKind.Set : DeltaKind.Add;
        if (!price.IsValidBinaryPrice || (kind == DeltaKind.Set && size.Micros < 0))
        {
            return $"level change at price {price} size {size} is out of range";
        }

        sink.OnBookDelta(new BookDelta(
            market,
            payload[0] == 0 ? Outcome.Yes : Outcome.No,
            payload[1] == 0 ? BookSide.Bid : BookSide.Ask,
            price,
            size,
            kind,
            BinaryPrimitives.ReadInt64LittleEndian(payload[20..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[28..]),
            receivedTimestamp,
            isLastInBatch: payload[3] == 0));
        return null;
    }

    /// <summary>The delta as the JSON event <see cref="MarketEventJson"/> reads (for <c>arbbot convert</c>).</summary>
    public static byte[] ToJson(ReadOnlySpan<byte> payload)
    {
        if (payload.Length <= FixedLength)
        {
            throw new RecordingFormatException("a level change record too short to hold one");
        }

        string market = Encoding.UTF8.GetString(payload[FixedLength..]);
        var delta = new BookDelta(
            default,
            payload[0] == 0 ? Outcome.Yes : Outcome.No,
            payload[1] == 0 ? BookSide.Bid : BookSide.Ask,
            Price.FromMicros(BinaryPrimitives.ReadInt64LittleEndian(payload[4..])),
            Quantity.FromMicros(BinaryPrimitives.ReadInt64LittleEndian(payload[12..])),
            payload[2] == 0 ? DeltaKind.Set : DeltaKind.Add,
            BinaryPrimitives.ReadInt64LittleEndian(payload[20..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[28..]),
            0,
            isLastInBatch: payload[3] == 0);
        return MarketEventJson.ToBytes(json => MarketEventJson.WriteDelta(json, market, delta));
    }
}
