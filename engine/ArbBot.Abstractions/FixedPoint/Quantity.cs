namespace ArbBot.Abstractions.FixedPoint;

/// <summary>
/// A number of contracts (shares) as an exact integer count of micro-contracts. Kalshi sends
/// 2-decimal "_fp" strings and Polymarket plain decimals; both fit exactly. Signed, because
/// Kalshi's book deltas are signed changes.
/// </summary>
public readonly struct Quantity : IEquatable<Quantity>, IComparable<Quantity>, ISpanFormattable
{
    /// <summary>Creates a quantity from micro-contracts.</summary>
    public Quantity(long micros)
    {
        Micros = micros;
    }

    /// <summary>The quantity in millionths of a contract.</summary>
    public long Micros { get; }

    /// <summary>No contracts.</summary>
    public static Quantity Zero => default;

    /// <summary>One whole contract.</summary>
    public static Quantity OneContract => new(FixedDecimal.Scale);

    /// <summary>Whether this is zero contracts.</summary>
    public bool IsZero => Micros == 0;

    /// <summary>Whether this is more than zero contracts.</summary>
    public bool IsPositive => Micros > 0;

    /// <summary>A quantity of whole contracts.</summary>
    public static Quantity FromContracts(long contracts) => new(checked(contracts * FixedDecimal.Scale));

    /// <summary>A quantity from micro-contracts.</summary>
    public static Quantity FromMicros(long micros) => new(micros);

    /// <summary>Parses a decimal contract count such as "10.00", "-54.00" or "1000".</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Quantity quantity)
    {
        bool ok = FixedDecimal.TryParse(text, out long units);
        quantity = new Quantity(units);
        return ok;
    }

    /// <summary>Parses a UTF-8 decimal contract count straight from a wire frame.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Quantity quantity)
    {
        bool ok = FixedDecimal.TryParse(utf8, out long units);
        quantity = new Quantity(units);
        return ok;
    }

    /// <summary>Parses a decimal contract count or throws <see cref="FormatException"/> naming it.</summary>
    public static Quantity Parse(string text) =>
        TryParse(text.AsSpan(), out Quantity quantity)
            ? quantity
            : throw new FormatException($"\"{text}\" is not a contract count with at most 6 decimals");

    /// <inheritdoc/>
    public bool Equals(Quantity other) => Micros == other.Micros;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Quantity other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Micros.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(Quantity other) => Micros.CompareTo(other.Micros);

    /// <summary>Contracts with 2 to 6 decimals ("10.00", "0.125").</summary>
    public override string ToString() => FixedDecimal.Format(Micros, 2);

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        FixedDecimal.TryFormat(Micros, destination, 2, out charsWritten);

    /// <summary>Writes the quantity as UTF-8 text.</summary>
    public bool TryFormatUtf8(Span<byte> destination, out int bytesWritten) =>
        FixedDecimal.TryFormat(Micros, destination, 2, out bytesWritten);

    /// <summary>Sum.</summary>
    public static Quantity operator +(Quantity a, Quantity b) => new(checked(a.Micros + b.Micros));

    /// <summary>Difference.</summary>
    public static Quantity operator -(Quantity a, Quantity b) => new(checked(a.Micros - b.Micros));

    /// <summary>Negation.</summary>
    public static Quantity operator -(Quantity a) => new(checked(-a.Micros));

    /// <summary>Equality.</summary>
    public static bool operator ==(Quantity a, Quantity b) => a.Micros == b.Micros;

    /// <summary>Inequality.</summary>
    public static bool operator !=(Quantity a, Quantity b) => a.Micros != b.Micros;

    /// <summary>Less than.</summary>
    public static bool operator <(Quantity a, Quantity b) => a.Micros < b.Micros;

    /// <summary>Greater than.</summary>
    public static bool operator >(Quantity a, Quantity b) => a.Micros > b.Micros;

    /// <summary>Less than or equal.</summary>
    public static bool operator <=(Quantity a, Quantity b) => a.Micros <= b.Micros;

    /// <summary>Greater than or equal.</summary>
    public static bool operator >=(Quantity a, Quantity b) => a.Micros >= b.Micros;

    /// <summary>The smaller of two quantities.</summary>
    public static Quantity Min(Quantity a, Quantity b) => a.Micros <= b.Micros ? a : b;

    /// <summary>The larger of two quantities.</summary>
    public static Quantity Max(Quantity a, Quantity b) => a.Micros >= b.Micros ? a : b;
}
