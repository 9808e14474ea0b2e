using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ArbBot.Venues.Toolkit.Parsing;

/// <summary>
/// A forward scan over one JSON frame for a parser's fast path: the few message shapes that
/// matter for speed are read token by token, with no allocation and no general JSON reader. It
/// reads only frames that <see cref="IsPlain"/> accepts (printable ASCII, no escapes), so a
/// string ends at the next quote; it knows strings, integers and the scalars it skips, and
/// answers false to anything else (an object or array where a scalar was expected, a fraction
/// where an integer was). The caller then hands the frame to its general decoder, which reads
/// every valid frame and names what is wrong with the others: a fast path built on it may refuse
/// a frame, never read it differently.
/// </summary>
public ref struct FrameScanner
{
    /// <summary>Frames up to this long get their quotes marked in one pass (<see cref="QuoteWords"/>); longer ones search for each.</summary>
    public const int MarkedFrameLimit = 16 * 1024;

    private readonly ReadOnlySpan<byte> _frame;
    private readonly ReadOnlySpan<ulong> _quotes; // bit i set: byte i is a quote (empty: search instead)
    private int _at;

    /// <summary>Starts at byte <paramref name="start"/> of <paramref name="frame"/> (the first by default).</summary>
    public FrameScanner(ReadOnlySpan<byte> frame, int start = 0)
    {
        _frame = frame;
        _quotes = default;
        _at = start;
    }

    /// <summary>
    /// Starts at byte <paramref name="start"/>, with the frame's quotes marked in
    /// <paramref name="quotes"/> by <see cref="MarkQuotes"/> (which also checked that the frame is plain): each string's end is then a bit
    /// away instead of a search (a frame of many short strings reads several times faster).
    /// </summary>
    public FrameScanner(ReadOnlySpan<byte> frame, ReadOnlySpan<ulong> quotes, int start = 0)
    {
        _frame = frame;
        _quotes = quotes;
        _at = start;
    }

    /// <summary>How many words <see cref="MarkQuotes"/> needs for a frame this long (0 past <see cref="MarkedFrameLimit"/>: no marks).</summary>
    public static int QuoteWords(int frameLength) => frameLength > MarkedFrameLimit ? 0 : (frameLength + 63) >> 6;

    /// <summary>
    /// <see cref="IsPlain"/> and the quotes marked for the scan in the same vectorised pass: sets
    /// bit i of <paramref name="quotes"/> (zeroed, <see cref="QuoteWords"/> long) for every quote
    /// at byte i, and answers whether the frame is plain (when it is not, the marks are partial and not to be used).
    /// </summary>
    public static bool MarkQuotes(ReadOnlySpan<byte> frame, Span<ulong> quotes)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<byte> quote = Vector256.Create((byte)'"'), backslash = Vector256.Create((byte)'\\');
            Vector256<byte> space = Vector256.Create((byte)0x20), printable = Vector256.Create((byte)(0x7E - 0x20));
            for (; i + 32 <= frame.Length; i += 32)
            {
                Vector256<byte> bytes = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(frame), (nuint)i); // i + 32 <= length: in bounds
                if ((Vector256.GreaterThan(bytes - space, printable) | Vector256.Equals(bytes, backslash)) != Vector256<byte>.Zero)
                {
                    return false; // below a space or above '~' (unsigned: the subtraction wraps), or a backslash
                }

                quotes[i >> 6] |= (ulong)Vector256.Equals(bytes, quote).ExtractMostSignificantBits() << (i & 63);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Vector128<byte> quote = Vector128.Create((byte)'"'), backslash = Vector128.Create((byte)'\\');
            Vector128<byte> space = Vector128.Create((byte)0x20), printable = Vector128.Create((byte)(0x7E - 0x20));
            for (; i + 16 <= frame.Length; i += 16)
            {
                Vector128<byte> bytes = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(frame), (nuint)i);
                if ((Vector128.GreaterThan(bytes - space, printable) | Vector128.Equals(bytes, backslash)) != Vector128<byte>.Zero)
                {
                    return false;
                }

                quotes[i >> 6] |= (ulong)Vector128.Equals(bytes, quote).ExtractMostSignificantBits() << (i & 63);
            }
        }

        for (; i < frame.Length; i++)
        {
            byte b = frame[i];
            if (b is < 0x20 or > 0x7E or (byte)'\\')
            {
                return false;
            }

            if (b == (byte)'"')
            {
                quotes[i >> 6] |= 1UL << (i & 63);
            }
        }

        return true;
    }

    /// <summary>Where the scan is, as an offset into the frame.</summary>
    public readonly int Position => _at;

    /// <summary>
    /// Whether the scanner may read this frame: printable ASCII only (spaces, no other
    /// whitespace) and no backslash. One vectorised pass over the whole frame, instead of a check
    /// per string.
    /// </summary>
    public static bool IsPlain(ReadOnlySpan<byte> frame) =>
        frame.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0 && !frame.Contains((byte)'\\');

    /// <summary>Whether only spaces are left.</summary>
    public bool AtEnd()
    {
        SkipSpace();
        return _at == _frame.Length;
    }

    /// <summary>Whether the next byte (after spaces) is <paramref name="b"/>, without taking it.</summary>
    public bool Peek(byte b)
    {
        SkipSpace();
        return _at < _frame.Length && _frame[_at] == b;
    }

    /// <summary>Takes <paramref name="b"/> (after spaces), or answers false.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Expect(byte b)
    {
        SkipSpace();
        if (_at < _frame.Length && _frame[_at] == b)
        {
            _at++;
            return true;
        }

        return false;
    }

    /// <summary>Takes exactly these bytes, here and with no spaces skipped (a known shape's fixed text), or answers false.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Literal(ReadOnlySpan<byte> text)
    {
        if (!_frame[_at..].StartsWith(text))
        {
            return false;
        }

        _at += text.Length;
        return true;
    }

    /// <summary>A quoted key and its colon.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Key(out ReadOnlySpan<byte> key) => Text(out key) && Expect((byte)':');

    /// <summary>A string's bytes, without the quotes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Text(out ReadOnlySpan<byte> value)
    {
        value = default;
        SkipSpace();
        if (_at >= _frame.Length || _frame[_at] != (byte)'"')
        {
            return false;
        }

        int end = NextQuote(_at + 1);
        if (end < 0)
        {
            return false;
        }

        value = _frame[(_at + 1)..end];
        _at = end + 1;
        return true;
    }

    /// <summary>The offset of the first quote at or after <paramref name="from"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int NextQuote(int from)
    {
        if (_quotes.IsEmpty)
        {
            int found = _frame[from..].IndexOf((byte)'"');
            return found < 0 ? -1 : from + found;
        }

        int word = from >> 6;
        if (word >= _quotes.Length)
        {
            return -1;
        }

        ulong bits = _quotes[word] & (ulong.MaxValue << (from & 63));
        while (bits == 0)
        {
            if (++word == _quotes.Length)
            {
                return -1;
            }

            bits = _quotes[word];
        }

        return (word << 6) + BitOperations.TrailingZeroCount(bits);
    }

    /// <summary>A plain integer: an optional minus and at most 18 digits, no leading zero, no fraction or exponent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool WholeNumber(out long value)
    {
        value = 0;
        SkipSpace();
        bool negative = _at < _frame.Length && _frame[_at] == (byte)'-';
        if (negative)
        {
            _at++;
        }

        int start = _at;
        while (_at < _frame.Length && (uint)(_frame[_at] - '0') <= 9)
        {
            value = (value * 10) + (_frame[_at] - '0');
            _at++;
        }

        int digits = _at - start;
        if (digits == 0 || digits > 18 || (digits > 1 && _frame[start] == (byte)'0') || (_at < _frame.Length && _frame[_at] is (byte)'.' or (byte)'e' or (byte)'E'))
        {
            return false;
        }

        value = negative ? -value : value;
        return true;
    }

    /// <summary>Skips a string, number, <c>true</c>, <c>false</c> or <c>null</c>; an object or array answers false.</summary>
    public bool SkipScalar()
    {
        SkipSpace();
        if (_at >= _frame.Length)
        {
            return false;
        }

        return _frame[_at] switch
        {
            (byte)'"' => Text(out _),
            (byte)'t' => Literal("true"u8),
            (byte)'f' => Literal("false"u8),
            (byte)'n' => Literal("null"u8),
            _ => Number(),
        };
    }

    /// <summary>Whether the next value (after spaces) is a string.</summary>
    public bool AtString() => Peek((byte)'"');

    /// <summary>After a value: a comma (<paramref name="more"/>) or <paramref name="close"/> (the end of the object or array).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Next(out bool more, byte close = (byte)'}')
    {
        SkipSpace();
        more = _at < _frame.Length && _frame[_at] == (byte)',';
        if (more || (_at < _frame.Length && _frame[_at] == close))
        {
            _at++;
            return true;
        }

        return false;
    }

    /// <summary>A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    private bool Number()
    {
        if (_at < _frame.Length && _frame[_at] == (byte)'-')
        {
            _at++;
        }

        int start = _at;
        if (!Digits() || (_at - start > 1 && _frame[start] == (byte)'0'))
        {
            return false;
        }

        if (_at < _frame.Length && _frame[_at] == (byte)'.')
        {
            _at++;
            if (!Digits())
            {
                return false;
            }
        }

        if (_at < _frame.Length && _frame[_at] is (byte)'e' or (byte)'E')
        {
            _at++;
            if (_at < _frame.Length && _frame[_at] is (byte)'+' or (byte)'-')
            {
                _at++;
            }

            return Digits();
        }

        return true;
    }

    private bool Digits()
    {
        int start = _at;
        while (_at < _frame.Length && (uint)(_frame[_at] - '0') <= 9)
        {
            _at++;
        }

        return _at > start;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SkipSpace()
    {
        while (_at < _frame.Length && _frame[_at] == (byte)' ')
        {
            _at++;
        }
    }
}
