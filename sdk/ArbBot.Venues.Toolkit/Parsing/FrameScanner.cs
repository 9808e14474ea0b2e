using System.Runtime.CompilerServices;

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
    private readonly ReadOnlySpan<byte> _frame;
    private int _at;

    /// <summary>Starts at byte <paramref name="start"/> of <paramref name="frame"/> (the first by default).</summary>
    public FrameScanner(ReadOnlySpan<byte> frame, int start = 0)
    {
        _frame = frame;
        _at = start;
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

        ReadOnlySpan<byte> rest = _frame[(_at + 1)..];
        int end = rest.IndexOf((byte)'"');
        if (end < 0)
        {
            return false;
        }

        value = rest[..end];
        _at += end + 2;
        return true;
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
