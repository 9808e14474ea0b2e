namespace ArbBot.Engine.Storage;

/// <summary>
/// The SQLite schema of the fill log (documented in docs/execution.md). Money, prices and sizes
/// are exact integers in millionths (<c>_micros</c> columns): divide by 1e6 to read dollars or contracts.
/// </summary>
internal static class FillLogSchema
{
    /// <summary>Bump on any change a reader would notice; stored in <c>meta</c>.</summary>
    public const int Version = 3;

    public const string Create = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS attempts(
            group_id INTEGER PRIMARY KEY,
            engine TEXT NOT NULL,
            strategy TEXT NOT NULL,
            event TEXT NOT NULL,
            kind TEXT NOT NULL,
            legs INTEGER NOT NULL,
            created_ms INTEGER NOT NULL,
            expected_edge_micros INTEGER NOT NULL,
            book_age_ms INTEGER NOT NULL,
            reason TEXT NOT NULL,
            status TEXT NOT NULL,
            finished_ms INTEGER,
            realised_edge_micros INTEGER);
        CREATE TABLE IF NOT EXISTS orders(
            client_order_id TEXT PRIMARY KEY,
            group_id INTEGER NOT NULL,
            leg INTEGER NOT NULL,
            role TEXT NOT NULL,
            venue TEXT NOT NULL,
            market TEXT NOT NULL,
            outcome TEXT NOT NULL,
            side TEXT NOT NULL,
            tif TEXT NOT NULL,
            post_only INTEGER NOT NULL,
            limit_micros INTEGER NOT NULL,
            size_micros INTEGER NOT NULL,
            status TEXT NOT NULL,
            filled_micros INTEGER NOT NULL,
            venue_order_id TEXT,
            reason TEXT,
            sent_ms INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL,
            expires_ms INTEGER);
        CREATE INDEX IF NOT EXISTS orders_by_group ON orders(group_id);
        CREATE TABLE IF NOT EXISTS fills(
            venue TEXT NOT NULL,
            trade_id TEXT NOT NULL,
            client_order_id TEXT NOT NULL,
            group_id INTEGER,
            market TEXT NOT NULL,
            outcome TEXT NOT NULL,
            side TEXT NOT NULL,
            price_micros INTEGER NOT NULL,
            size_micros INTEGER NOT NULL,
            fee_micros INTEGER NOT NULL,
            maker INTEGER NOT NULL,
            venue_ms INTEGER NOT NULL,
            received_ms INTEGER NOT NULL,
            PRIMARY KEY(venue, trade_id));
        CREATE TABLE IF NOT EXISTS legged(
            id INTEGER PRIMARY KEY,
            event TEXT NOT NULL,
            started_ms INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            size_micros INTEGER NOT NULL,
            cost_micros INTEGER NOT NULL,
            status TEXT NOT NULL,
            steps INTEGER NOT NULL,
            resolution TEXT,
            ended_ms INTEGER,
            loss_micros INTEGER);
        CREATE TABLE IF NOT EXISTS alerts(
            ts_ms INTEGER NOT NULL,
            level TEXT NOT NULL,
            kind TEXT NOT NULL,
            event TEXT,
            message TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS settlements(
            venue TEXT NOT NULL,
            market TEXT NOT NULL,
            winner TEXT NOT NULL,
            yes_micros INTEGER NOT NULL,
            no_micros INTEGER NOT NULL,
            payout_micros INTEGER NOT NULL,
            pnl_micros INTEGER NOT NULL,
            venue_ms INTEGER NOT NULL,
            recorded_ms INTEGER NOT NULL,
            PRIMARY KEY(venue, market, venue_ms));
        CREATE TABLE IF NOT EXISTS position_checks(
            venue TEXT NOT NULL,
            market TEXT NOT NULL,
            outcome TEXT NOT NULL,
            engine_micros INTEGER NOT NULL,
            venue_micros INTEGER NOT NULL,
            since_ms INTEGER NOT NULL,
            checked_ms INTEGER NOT NULL,
            PRIMARY KEY(venue, market, outcome));
        CREATE TABLE IF NOT EXISTS position_accepts(
            id INTEGER PRIMARY KEY,
            venue TEXT NOT NULL,
            market TEXT NOT NULL,
            outcome TEXT NOT NULL,
            venue_micros INTEGER NOT NULL,
            accepted_ms INTEGER NOT NULL,
            applied_ms INTEGER,
            result TEXT);
        CREATE TABLE IF NOT EXISTS kill_switch(
            id INTEGER PRIMARY KEY CHECK (id = 1),
            mode TEXT NOT NULL,
            reason TEXT NOT NULL,
            source TEXT NOT NULL,
            set_ms INTEGER NOT NULL);
        """;

    /// <summary>Columns added since version 1, for files made before them (<c>CREATE TABLE IF NOT EXISTS</c> leaves an old table as it is).</summary>
    public static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("orders", "expires_ms", "INTEGER"),
        ("attempts", "fence", "INTEGER NOT NULL DEFAULT 0"),
        ("orders", "fence", "INTEGER NOT NULL DEFAULT 0"),
    ];
}
