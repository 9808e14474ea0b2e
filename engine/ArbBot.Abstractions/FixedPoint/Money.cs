namespace ArbBot.Abstractions.FixedPoint;

/// <summary>
/// An amount of dollars as an exact integer count of micro-dollars. Products of prices and
/// quantities go through 128-bit intermediates and an explicit <see cref="Rounding"/>.
/// </summary>
public readonly struct Money : IEquatable<Money>, IComparable<Money>, ISpanFormattable
{
    /// <summary>Creates an amount from micro-dollars.</summary>
    public Money(long micros)
    {
        Micros = micros;
    }

    /// <summary>The amount in millionths of a dollar.</summary>
    public long Micros { get; }

    /// <summary>$0.</summary>
    public static Money Zero => default;

    /// <summary>An amount of whole cents.</summary>
    public static Money FromCents(long cents) => new(checked(cents * (FixedDecimal.Scale / 100)));

    /// <summary>An amount from micro-dollars.</summary>
    public static Money FromMicros(long micros) => new(micros);

    /// <summary>Parses a decimal dollar amount such as "1.75".</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Money money)
    {
        bool ok = FixedDecimal.TryParse(text, out long units);
        money = new Money(units);
        return ok;
    }

    /// <summary>Parses a decimal dollar amount or throws <see cref="FormatException"/> naming it.</summary>
    public static Money Parse(string text) =>
        TryParse(text.AsSpan(), out Money money)
            ? money
            : throw new FormatException($"\"{text}\" is not a dollar amount with at most 6 decimals");

    /// <summary>price x quantity, rounded to a micro-dollar in the given direction.</summary>
    public static Money Of(Price price, Quantity quantity, Rounding rounding) =>
        FromScaledProduct((Int128)price.Micros * quantity.Micros, rounding);

    /// <summary>
    /// Converts a product of two six-decimal values (so twelve decimals) to micro-dollars.
    /// Exposed for fee formulas that multiply more than two factors.
    /// </summary>
    public static Money FromScaledProduct(Int128 twelveDecimals, Rounding rounding)
    {
        long small = (long)twelveDecimals;
        if (small == twelveDecimals)
        {
            return FromScaledProduct(small, rounding); // the usual size: 64-bit division is several times faster
        }

        Int128 quotient = Int128.DivRem(twelveDecimals, FixedDecimal.Scale).Quotient;
        Int128 remainder = twelveDecimals - (quotient * FixedDecimal.Scale);
        if (remainder != 0)
        {
            if (rounding == Rounding.Up && remainder > 0)
            {
                quotient++;
            }
            else if (rounding == Rounding.Down && remainder < 0)
            {
                quotient--;
            }
        }

        return new Money(checked((long)quotient));
    }

    private static Money FromScaledProduct(long twelveDecimals, Rounding rounding)
    {
        long quotient = Math.DivRem(twelveDecimals, FixedDecimal.Scale, out long remainder);
        if (rounding == Rounding.Up && remainder > 0)
        {
            quotient++;
        }
        else if (rounding == Rounding.Down && remainder < 0)
        {
            quotient--;
        }

        return new Money(quotient);
    }

    /// <summary>Rounds up to the next whole cent (Kalshi charges fees this way).</summary>
    public Money CeilToCent()
    {
        const long cent = FixedDecimal.Scale / 100;
        long rem = Micros % cent;
        return rem == 0 ? this : new Money(Micros - rem + (rem > 0 ? cent : 0));
    }

    /// <summary>Rounds up to a multiple of <paramref name="step"/> micro-dollars.</summary>
    public Money CeilTo(long step)
    {
        long rem = Micros % step;
        return rem == 0 ? this : new Money(Micros - rem + (rem > 0 ? step : 0));
    }

    /// <inheritdoc/>
    public bool Equals(Money other) => Micros == other.Micros;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Money other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Micros.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(Money other) => Micros.CompareTo(other.Micros);

    /// <summary>Dollars with 2 to 6 decimals.</summary>
    public override string ToString() => FixedDecimal.Format(Micros, 2);

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        FixedDecimal.TryFormat(Micros, destination, 2, out charsWritten);

    /// <summary>Sum.</summary>
    public static Money operator +(Money a, Money b) => new(checked(a.Micros + b.Micros));

    /// <summary>Difference.</summary>
    public static Money operator -(Money a, Money b) => new(checked(a.Micros - b.Micros));

    /// <summary>Negation.</summary>
    public static Money operator -(Money a) => new(checked(-a.Micros));

    /// <summary>Equality.</summary>
    public static bool operator ==(Money a, Money b) => a.Micros == b.Micros;

    /// <summary>Inequality.</summary>
    public static bool operator !=(Money a, Money b) => a.Micros != b.Micros;

    /// <summary>Less than.</summary>
    public static bool operator <(Money a, Money b) => a.Micros < b.Micros;

    /// <summary>Greater than.</summary>
    public static bool operator >(Money a, Money b) => a.Micros > b.Micros;

    /// <summary>Less than or equal.</summary>
    public static bool operator <=(Money a, Money b) => a.Micros <= b.Micros;

    /// <summary>Greater than or equal.</summary>
    public static bool operator >=(Money a, Money b) => a.Micros >= b.Micros;
}
