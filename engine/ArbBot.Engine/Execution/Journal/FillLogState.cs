using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using Microsoft.Data.Sqlite;

namespace ArbBot.Engine.Execution.Journal;

/// <summary>
/// What a restart needs from the fill log: the highest group id used (so no client order id is
/// ever sent twice), every fill (positions are rebuilt from them), the orders that were still
/// working when the engine stopped, and the legged episodes that were not resolved.
/// </summary>
public sealed class FillLogState
{
    /// <summary>Highest group id in the log (0 if empty).</summary>
    public long MaxGroupId { get; private set; }

    /// <summary>Every fill, oldest first.</summary>
    public List<LoggedFill> Fills { get; } = new();

    /// <summary>Orders not in a final state.</summary>
    public List<string> OpenOrderIds { get; } = new();

    /// <summary>Legged episodes not resolved: id and event.</summary>
    public List<(long Id, string EventId, long StartedMs, int Steps)> OpenEpisodes { get; } = new();

    /// <summary>Highest legged episode id.</summary>
    public long MaxEpisodeId { get; private set; }

    /// <summary>Reads the state from a fill log file.</summary>
    public static FillLogState Load(string path)
    {
        var state = new FillLogState();
        try
        {
            using SqliteConnection connection = FillLog.OpenConnection(path);
            using (SqliteCommand max = connection.CreateCommand())
            {
                max.CommandText = "SELECT COALESCE((SELECT MAX(group_id) FROM attempts), 0), COALESCE((SELECT MAX(group_id) FROM orders), 0), COALESCE((SELECT MAX(id) FROM legged), 0)";
                using SqliteDataReader r = max.ExecuteReader();
                r.Read();
                state.MaxGroupId = Math.Max(r.GetInt64(0), r.GetInt64(1));
                state.MaxEpisodeId = r.GetInt64(2);
            }

            using (SqliteCommand fills = connection.CreateCommand())
            {
                fills.CommandText = "SELECT venue, trade_id, client_order_id, market, outcome, side, price_micros, size_micros, fee_micros, maker, venue_ms FROM fills ORDER BY received_ms, rowid";
                using SqliteDataReader r = fills.ExecuteReader();
                while (r.Read())
                {
                    state.Fills.Add(new LoggedFill(
                        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
                        r.GetString(4) == "yes" ? Outcome.Yes : Outcome.No,
                        r.GetString(5) == "buy" ? OrderSide.Buy : OrderSide.Sell,
                        Price.FromMicros(r.GetInt64(6)), Quantity.FromMicros(r.GetInt64(7)), Money.FromMicros(r.GetInt64(8)), r.GetInt64(9) != 0, r.GetInt64(10)));
                }
            }

            using (SqliteCommand open = connection.CreateCommand())
            {
                open.CommandText = "SELECT client_order_id FROM orders WHERE status IN ('new', 'acked', 'partially_filled')";
                using SqliteDataReader r = open.ExecuteReader();
                while (r.Read())
                {
                    state.OpenOrderIds.Add(r.GetString(0));
                }
            }

            using (SqliteCommand episodes = connection.CreateCommand())
            {
                episodes.CommandText = "SELECT id, event, started_ms, steps FROM legged WHERE ended_ms IS NULL";
                using SqliteDataReader r = episodes.ExecuteReader();
                while (r.Read())
                {
                    state.OpenEpisodes.Add((r.GetInt64(0), r.GetString(1), r.GetInt64(2), (int)r.GetInt64(3)));
                }
            }
        }
        catch (SqliteException ex)
        {
            throw new FillLogException($"{path}: cannot read the fill log: {ex.Message}", ex);
        }

        return state;
    }
}

/// <summary>A fill as stored in the log.</summary>
public sealed record LoggedFill(
    string Venue, string TradeId, string ClientOrderId, string MarketId, Outcome Outcome, OrderSide Side, Price Price, Quantity Quantity, Money Fee, bool IsMaker, long VenueMs);
