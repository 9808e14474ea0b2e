namespace ArbBot.Abstractions.FixedPoint;

/// <summary>How a money amount that falls between two micro-dollars is settled.</summary>
public enum Rounding
{
    /// <summary>Toward +infinity: for amounts we pay (costs, fees), so we never under-estimate.</summary>
    Up,

    /// <summary>Toward -infinity: for amounts we receive.</summary>
    Down,
}
