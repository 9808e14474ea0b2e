using System.Numerics;

namespace ArbBot.Abstractions.FixedPoint;

/// <summary>
/// Parsing and formatting of the six-decimal fixed-point integers behind <see cref="Price"/>,
/// <see cref="Quantity"/> and <see cref="Money"/>. Works on UTF-16 and UTF-8 text alike, never
/// goes through floating point, and refuses digits it cannot keep instead of rounding them away.
/// </summary>
public static class FixedDecimal
{
    /// <summary>Number of decimal places every fixed-point value keeps.</summary>
    public const int Decimals = 6;

    /// <summary>Units per whole (1,000,000: one unit is a millionth of a dollar or of a contract).</summary>
    public const long Scale = 1_000_000;

    /// <summary>Longest text <see cref="TryFormat{TChar}"/> can write ("-9223372036854.775808").</summary>
    public const int MaxFormattedLength = 24;

    /// <summary>
    /// Parses an optionally signed decimal number ("0.5600", "-54.00", "1000", ".5") into units of
    /// 1/<see cref="Scale"/>. Digits past the sixth decimal are accepted only when they are zeros.
    /// </summary>
    /// <returns>false for empty text, stray characters, lost precision or overflow.</returns>
    public static bool TryParse<TChar>(ReadOnlySpan<TChar> text, out long units)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        units = 0;
        int i = 0;
        bool negative = false;
        if (text.Length > 0)
        {
            int first = int.CreateTruncating(text[0]);
            if (first == '-' || first == '+')
            {
                negative = first == '-';
                i = 1;
            }
        }

        ulong whole = 0;
        int wholeDigits = 0;
        for (; i < text.Length; i++)
        {
            int c = int.CreateTruncating(text[i]);
            if (c == '.')
            {
                break;
            }

            if ((uint)(c - '0') > 9)
            {
                return false;
            }

            whole = (whole * 10) + (ulong)(c - '0');
            wholeDigits++;
            if (whole > long.MaxValue / Scale)
            {
                return false;
            }
        }

        ulong fraction = 0;
        int fractionDigits = 0;
        if (i < text.Length)
        {
            i++; // the decimal point
            for (; i < text.Length; i++)
            {
                int c = int.CreateTruncating(text[i]);
                if ((uint)(c - '0') > 9)
                {
                    return false;
                }

                if (fractionDigits < Decimals)
                {
                    fraction = (fraction * 10) + (ulong)(c - '0');
                }
                else if (c != '0')
                {
                    return false; // would need rounding: refuse rather than lose money silently
                }

                fractionDigits++;
            }
        }

        if (wholeDigits == 0 && fractionDigits == 0)
        {
            return false;
        }

        for (int d = Math.Min(fractionDigits, Decimals); d < Decimals; d++)
        {
            fraction *= 10;
        }

        long magnitude = (long)(whole * Scale) + (long)fraction;
        units = negative ? -magnitude : magnitude;
        return true;
    }

    /// <summary>
    /// Writes <paramref name="units"/> as a decimal with at least <paramref name="minDecimals"/> and at most
    /// six decimals, dropping trailing zeros beyond the minimum ("0.56", "0.0005", "10.00").
    /// </summary>
    public static bool TryFormat<TChar>(long units, Span<TChar> destination, int minDecimals, out int written)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        written = 0;
        Span<byte> buffer = stackalloc byte[MaxFormattedLength];
        int pos = buffer.Length;
        bool negative = units < 0;
        ulong magnitude = negative ? (ulong)(-(units + 1)) + 1 : (ulong)units;
        ulong whole = magnitude / Scale;
        ulong fraction = magnitude % Scale;

        int decimals = Decimals;
        while (decimals > minDecimals && fraction % 10 == 0)
        {
            fraction /= 10;
            decimals--;
        }

        for (int d = 0; d < decimals; d++)
        {
            buffer[--pos] = (byte)('0' + (int)(fraction % 10));
            fraction /= 10;
        }

        if (decimals > 0)
        {
            buffer[--pos] = (byte)'.';
        }

        do
        {
            buffer[--pos] = (byte)('0' + (int)(whole % 10));
            whole /= 10;
        }
        while (whole != 0);

        if (negative)
        {
            buffer[--pos] = (byte)'-';
        }

        int length = buffer.Length - pos;
        if (length > destination.Length)
        {
            return false;
        }

        for (int k = 0; k < length; k++)
        {
            destination[k] = TChar.CreateTruncating(buffer[pos + k]);
        }

        written = length;
        return true;
    }

    /// <summary>Formats to a new string (not for the hot path).</summary>
    public static string Format(long units, int minDecimals)
    {
        Span<char> chars = stackalloc char[MaxFormattedLength];
        TryFormat(units, chars, minDecimals, out int written);
        return new string(chars[..written]);
    }
}
