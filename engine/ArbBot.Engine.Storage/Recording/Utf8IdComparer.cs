using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace ArbBot.Engine.Storage.Recording;

/// <summary>
/// Ordinal string keys that can also be looked up by their UTF-8 bytes, as a recording holds them
/// (<c>dictionary.GetAlternateLookup&lt;ReadOnlySpan&lt;byte&gt;&gt;()</c>): replay finds each record's
/// market without decoding its id. A key's hash is the hash of its UTF-8 bytes, so both lookups agree;
/// bytes that are not valid UTF-8 equal no key.
/// </summary>
public sealed class Utf8IdComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<byte>, string>
{
    private const int StackLimit = 256;

    /// <summary>The one instance (it holds no state).</summary>
    public static Utf8IdComparer Instance { get; } = new();

    private Utf8IdComparer()
    {
    }

    /// <inheritdoc/>
    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    /// <inheritdoc/>
    public int GetHashCode(string obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        int length = Encoding.UTF8.GetByteCount(obj);
        byte[]? rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> bytes = rented ?? stackalloc byte[StackLimit];
        int written = Encoding.UTF8.GetBytes(obj, bytes);
        int hash = GetHashCode(bytes[..written]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return hash;
    }

    /// <inheritdoc/>
    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = default(HashCode);
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public bool Equals(ReadOnlySpan<byte> alternate, string other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Ascii.Equals(alternate, other))
        {
            return true;
        }

        if (Ascii.IsValid(alternate) || alternate.Length < other.Length)
        {
            return false; // plain ASCII that differs, or too few bytes for the characters (each takes one byte or more)
        }

        char[]? rented = alternate.Length > StackLimit ? ArrayPool<char>.Shared.Rent(alternate.Length) : null;
        Span<char> chars = rented ?? stackalloc char[StackLimit];
        bool equal = Utf8.ToUtf16(alternate, chars, out _, out int written, replaceInvalidSequences: false) == OperationStatus.Done
            && chars[..written].SequenceEqual(other);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return equal;
    }

    /// <inheritdoc/>
    public string Create(ReadOnlySpan<byte> alternate) =>
        Utf8.IsValid(alternate) ? Encoding.UTF8.GetString(alternate) : throw new ArgumentException("not valid UTF-8", nameof(alternate));
}
