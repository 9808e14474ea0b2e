namespace ArbBot.Abstractions.FixedPoint;

/// <summary>
/// A price in dollars per contract as an exact integer count of micro-dollars (1/1,000,000 $).
/// Fine enough for Kalshi's 4-decimal dollar strings, its 6-decimal request prices and
/// Polymarket's 0.0001 ticks; no floating point anywhere.
/// </summary>
public readonly struct Price : IEquatable<Price>, IComparable<Price>, ISpanFormattable
{
    /// <summary>Creates a price from micro-dollars.</summary>
    public Price(long micros)
    {
        Micros = micros;
    }

    /// <summary>The price in millionths of a dollar.</summary>
    public long Micros { get; }

    /// <summary>$0.</summary>
    public static Price Zero => default;

    /// <summary>$1, what a winning binary contract pays.</summary>
    public static Price One => new(FixedDecimal.Scale);

    /// <summary>One cent.</summary>
    public static Price Cent => new(FixedDecimal.Scale / 100);

    /// <summary>The price of the other outcome of a binary market (1 - this).</summary>
    public Price Complement => new(FixedDecimal.Scale - Micros);

    /// <summary>Whether the price lies strictly between $0 and $1, as a tradable binary price must.</summary>
    public bool IsValidBinaryPrice => Micros > 0 && Micros < FixedDecimal.Scale;

    /// <summary>A price from whole cents (Kalshi's legacy integer fields: 56 means $0.56).</summary>
    public static Price FromCents(long cents) => new(checked(cents * (FixedDecimal.Scale / 100)));

    /// <summary>A price from micro-dollars.</summary>
    public static Price FromMicros(long micros) => new(micros);

    /// <summary>Parses a decimal dollar string such as "0.5600" or "0.960".</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Price price)
    {
        bool ok = FixedDecimal.TryParse(text, out long units);
        price = new Price(units);
        return ok;
    }

    /// <summary>Parses a UTF-8 decimal dollar string straight from a wire frame.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Price price)
    {
        bool ok = FixedDecimal.TryParse(utf8, out long units);
        price = new Price(units);
        return ok;
    }

    /// <summary>Parses a decimal dollar string or throws <see cref="FormatException"/> naming it.</summary>
    public static Price Parse(string text) =>
        TryParse(text.AsSpan(), out Price price)
            ? price
            : throw new FormatException($"\"{text}\" is not a dollar price with at most 6 decimals");

    /// <summary>Whether the price is a whole multiple of <paramref name="tick"/>.</summary>
    public bool IsOnTick(Price tick) => tick.Micros > 0 && Micros % tick.Micros == 0;

    /// <inheritdoc/>
    public bool Equals(Price other) => Micros == other.Micros;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Price other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Micros.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(Price other) => Micros.CompareTo(other.Micros);

    /// <summary>Dollars with 2 to 6 decimals ("0.56", "0.0005").</summary>
    public override string ToString() => FixedDecimal.Format(Micros, 2);

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        FixedDecimal.TryFormat(Micros, destination, 2, out charsWritten);

    /// <summary>Writes the price as UTF-8 dollars (for Redis and wire output without a string).</summary>
    public bool TryFormatUtf8(Span<byte> destination, out int bytesWritten) =>
        FixedDecimal.TryFormat(Micros, destination, 2, out bytesWritten);

    /// <summary>Sum of two prices.</summary>
    public static Price operator +(Price a, Price b) => new(checked(a.Micros + b.Micros));

    /// <summary>Difference of two prices.</summary>
    public static Price operator -(Price a, Price b) => new(checked(a.Micros - b.Micros));

    /// <summary>Equality.</summary>
    public static bool operator ==(Price a, Price b) => a.Micros == b.Micros;

    /// <summary>Inequality.</summary>
    public static bool operator !=(Price a, Price b) => a.Micros != b.Micros;

    /// <summary>Less than.</summary>
    public static bool operator <(Price a, Price b) => a.Micros < b.Micros;

    /// <summary>Greater than.</summary>
    public static bool operator >(Price a, Price b) => a.Micros > b.Micros;

    /// <summary>Less than or equal.</summary>
    public static bool operator <=(Price a, Price b) => a.Micros <= b.Micros;

    /// <summary>Greater than or equal.</summary>
    public static bool operator >=(Price a, Price b) => a.Micros >= b.Micros;

    /// <summary>The smaller of two prices.</summary>
    public static Price Min(Price a, Price b) => a.Micros <= b.Micros ? a : b;

    /// <summary>The larger of two prices.</summary>
    public static Price Max(Price a, Price b) => a.Micros >= b.Micros ? a : b;
}
