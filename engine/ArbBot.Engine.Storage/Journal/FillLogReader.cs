using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Execution.Journal;
using Microsoft.Data.Sqlite;

namespace ArbBot.Engine.Storage;

/// <summary>Reads what an earlier run left in the fill log (ids, fills, open orders, settlements, open episodes) before the engine starts.</summary>
public static class FillLogReader
{
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
                open.CommandText = "SELECT client_order_id, group_id, leg, role, venue, market, outcome, side, tif, post_only, limit_micros, size_micros, status, venue_order_id, sent_ms, expires_ms FROM orders WHERE status IN ('new', 'acked', 'partially_filled') ORDER BY sent_ms, rowid";
                using SqliteDataReader r = open.ExecuteReader();
                while (r.Read())
                {
                    state.OpenOrders.Add(new LoggedOrder(
                        r.GetString(0), r.GetInt64(1), (int)r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetString(5),
                        r.GetString(6) == "yes" ? Outcome.Yes : Outcome.No,
                        r.GetString(7) == "buy" ? OrderSide.Buy : OrderSide.Sell,
                        r.GetString(8) switch { "gtc" => TimeInForce.GoodTillCancelled, "ioc" => TimeInForce.ImmediateOrCancel, "gtd" => TimeInForce.GoodTillDate, _ => TimeInForce.FillOrKill },
                        r.GetInt64(9) != 0, Price.FromMicros(r.GetInt64(10)), Quantity.FromMicros(r.GetInt64(11)), r.GetString(12),
                        r.IsDBNull(13) ? null : r.GetString(13), r.GetInt64(14), r.IsDBNull(15) ? 0 : r.GetInt64(15)));
                }
            }

            using (SqliteCommand settled = connection.CreateCommand())
            {
                settled.CommandText = "SELECT venue, market, winner, venue_ms FROM settlements ORDER BY venue_ms, rowid";
                using SqliteDataReader r = settled.ExecuteReader();
                while (r.Read())
                {
                    state.Settlements.Add((r.GetString(0), r.GetString(1), r.GetString(2) == "yes" ? Outcome.Yes : Outcome.No, r.GetInt64(3)));
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
