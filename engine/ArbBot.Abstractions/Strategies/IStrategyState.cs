namespace ArbBot.Abstractions.Strategies;

/// <summary>
/// Optional: carry state across a hot reload. The old version exports text (JSON or anything),
/// the new version imports it before its first call. Without this, a new version starts fresh.
/// Text, because the old and new versions live in different load contexts and share no types of their own.
/// </summary>
public interface IStrategyState
{
    /// <summary>Called on the old version just before it is replaced.</summary>
    string? ExportState();

    /// <summary>Called on the new version after <see cref="IStrategy.Initialize"/>, with what the old one exported.</summary>
    void ImportState(string state);
}
