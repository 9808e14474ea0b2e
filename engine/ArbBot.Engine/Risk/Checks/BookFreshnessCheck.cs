using System.Diagnostics;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Risk.Checks;

/// <summary>
/// Every leg's book is live, recent (<c>max_book_age</c>) and past the settling time of a new
/// epoch (<c>min_epoch_age</c>): a decision on an old or half-rebuilt book is not taken.
/// </summary>
public sealed class BookFreshnessCheck(BookStore books, RiskLimits limits) : IRiskCheck
{
    private readonly long _maxBookAgeTicks = Kernel.StopwatchTicks.Of(limits.MaxBookAge);
    private readonly long _minEpochAgeTicks = Kernel.StopwatchTicks.Of(limits.MinEpochAge);

    /// <inheritdoc/>
    public bool AppliesToRiskReducing => false;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        long now = request.Now;
        foreach (OrderIntent leg in request.Group.Legs)
        {
            MarketBook book = books[leg.Market];
            if (book.IsStale)
            {
                detail = $"{book.VenueName} {book.MarketId} is stale ({book.StaleReason})";
                return RejectReason.StaleBook;
            }

            if (now - book.LastUpdateTimestamp > _maxBookAgeTicks)
            {
                detail = $"{book.VenueName} {book.MarketId} not updated for {Stopwatch.GetElapsedTime(book.LastUpdateTimestamp, now).TotalMilliseconds:0} ms";
                return RejectReason.BookAge;
            }

            if (now - book.EpochStartTimestamp < _minEpochAgeTicks)
            {
                detail = $"{book.VenueName} {book.MarketId} started a new epoch {Stopwatch.GetElapsedTime(book.EpochStartTimestamp, now).TotalMilliseconds:0} ms ago";
                return RejectReason.NewEpoch;
            }
        }

        detail = "";
        return null;
    }
}
