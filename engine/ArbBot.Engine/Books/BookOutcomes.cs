using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Books;

/// <summary>A set of a market's outcomes (which are still waiting for their snapshot since the book's last break).</summary>
[Flags]
internal enum BookOutcomes
{
    None = 0,
    Yes = 1,
    No = 2,
    Both = Yes | No,
}

/// <summary>Converting an outcome to its flag.</summary>
internal static class BookOutcomesExtensions
{
    public static BookOutcomes Flag(this Outcome outcome) => outcome == Outcome.Yes ? BookOutcomes.Yes : BookOutcomes.No;
}
