namespace ArbBot.Abstractions.Markets;

/// <summary>Small helpers on <see cref="Outcome"/>.</summary>
public static class OutcomeExtensions
{
    /// <summary>The other outcome of the same binary market.</summary>
    public static Outcome Opposite(this Outcome outcome) => outcome == Outcome.Yes ? Outcome.No : Outcome.Yes;

    /// <summary>"yes" or "no", as venues and the Redis key schema spell it.</summary>
    public static string ToWireName(this Outcome outcome) => outcome == Outcome.Yes ? "yes" : "no";
}
