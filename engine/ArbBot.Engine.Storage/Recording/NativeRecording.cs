using System.Buffers.Binary;

namespace ArbBot.Engine.Storage.Recording;

/// <summary>
/// The native recording's layout (docs/recording.md): an 8-byte header ("ARBREC" and a little-endian
/// 16-bit version), then records, each <c>u32 length, u32 CRC-32C of the body, body</c> with the body
/// <c>u8 kind, i64 Unix ns, u16 venue, i32 stream, payload</c>. Everything little-endian.
/// </summary>
public static class NativeRecording
{
    /// <summary>The format version this build writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>Bytes before the first record.</summary>
    public const int HeaderLength = 8;

    /// <summary>Bytes of a record before its body (length and CRC).</summary>
    public const int RecordPrefixLength = 8;

    /// <summary>Bytes of a body before its payload.</summary>
    public const int BodyFixedLength = 1 + 8 + 2 + 4;

    /// <summary>The largest body accepted (a bigger length is a torn or foreign file).</summary>
    public const int MaxBodyLength = 64 * 1024 * 1024;

    /// <summary>The file's first six bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "ARBREC"u8;

    /// <summary>Whether a file starts like a native recording.</summary>
    public static bool LooksNative(string path)
    {
        Span<byte> head = stackalloc byte[6];
        using FileStream file = File.OpenRead(path);
        return file.ReadAtLeast(head, 6, throwOnEndOfStream: false) == 6 && head.SequenceEqual(Magic);
    }

    /// <summary>Writes the header.</summary>
    public static void WriteHeader(Span<byte> destination)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], Version);
    }

    /// <summary>Writes one record (prefix and body) and returns its length.</summary>
    public static int WriteRecord(Span<byte> destination, RecordKind kind, long timestampNs, int venue, int stream, ReadOnlySpan<byte> payload)
    {
        int bodyLength = BodyFixedLength + payload.Length;
        Span<byte> body = destination.Slice(RecordPrefixLength, bodyLength);
        body[0] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(body[1..], timestampNs);
        BinaryPrimitives.WriteUInt16LittleEndian(body[9..], checked((ushort)venue));
        BinaryPrimitives.WriteInt32LittleEndian(body[11..], stream);
        payload.CopyTo(body[BodyFixedLength..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc32C.Compute(body));
        return RecordPrefixLength + bodyLength;
    }
}
