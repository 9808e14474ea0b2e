using System.Globalization;
using System.Threading.Channels;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Execution.Journal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Storage;

/// <summary>
/// The SQLite fill log: attempts, orders, fills, legged episodes and alerts. The kernel only
/// queues rows (a copy of the values, so nothing is shared); one writer thread commits whatever
/// is queued in one transaction at a time, so a row reaches the file within milliseconds.
/// WAL with synchronous=NORMAL: a crash of the process loses nothing committed; a failed write
/// (disk full, locked) is retried with the same rows until it succeeds.
/// </summary>
public sealed class FillLog : IExecutionJournal, IAsyncDisposable
{
    private readonly Channel<Row> _queue = Channel.CreateUnbounded<Row>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _connectionString;
    private readonly string _engineId;
    private readonly ILogger _logger;
    private readonly Thread _writer;
    private long _written;
    private long _queued;
    private long _failures;

    private FillLog(string path, string engineId, ILogger logger)
    {
        Path = path;
        _engineId = engineId;
        _logger = logger;
        _connectionString = ConnectionString(path);
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "arbbot-fill-log" };
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Rows committed.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Write failures (each retried).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Opens (creating if needed) the database and its schema. Throws <see cref="FillLogException"/> naming the file.</summary>
    public static FillLog Open(string path, string engineId, ILogger logger)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            using SqliteConnection connection = OpenConnection(path);
            using (SqliteCommand create = connection.CreateCommand())
            {
                create.CommandText = FillLogSchema.Create;
                create.ExecuteNonQuery();
            }

            foreach ((string table, string column, string definition) in FillLogSchema.AddedColumns)
            {
                using SqliteCommand has = connection.CreateCommand();
                has.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
                if ((long)has.ExecuteScalar()! == 0)
                {
                    using SqliteCommand add = connection.CreateCommand();
                    add.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition}";
                    add.ExecuteNonQuery();
                }
            }

            using SqliteCommand version = connection.CreateCommand();
            version.CommandText = "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', $v)";
            version.Parameters.AddWithValue("$v", FillLogSchema.Version.ToString(CultureInfo.InvariantCulture));
            version.ExecuteNonQuery();
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new FillLogException($"{path}: cannot open the fill log: {ex.Message}", ex);
        }

        return new FillLog(path, engineId, logger);
    }

    /// <summary>Opens a connection with the settings every user of the file shares.</summary>
    internal static SqliteConnection OpenConnection(string path)
    {
        if (path != ":memory:")
        {
            Abstractions.Plugins.PrivateFiles.EnsureOwnerOnly(path); // positions, orders and the kill switch: the owner's alone
        }

        var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        using SqliteCommand pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <inheritdoc/>
    public IReadOnlyList<PositionAccept> PendingAccepts(string venue) => PositionChecks.Pending(Path, venue);

    /// <summary>Starts the writer thread (after <see cref="FillLogReader.Load"/>).</summary>
    public void Start() => _writer.Start();

    /// <summary>Waits until every row queued so far is committed.</summary>
    public async Task FlushAsync(TimeSpan timeout)
    {
        long target = Interlocked.Read(ref _queued);
        DateTime until = DateTime.UtcNow + timeout;
        while (Interlocked.Read(ref _written) < target && DateTime.UtcNow < until)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void AttemptStarted(Attempt attempt, string reason, long bookAgeMs, long createdMs) => Enqueue(
        "INSERT OR REPLACE INTO attempts(group_id, engine, strategy, event, kind, legs, created_ms, expected_edge_micros, book_age_ms, reason, status, fence) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
        attempt.GroupId, _engineId, attempt.Strategy, attempt.EventId, attempt.Kind, attempt.Orders.Length, createdMs, attempt.ExpectedEdge.Micros, bookAgeMs, reason, WireNames.Of(attempt.Status), attempt.Fence);

    /// <inheritdoc/>
    public void AttemptFinished(Attempt attempt, long nowMs) => Enqueue(
        "UPDATE attempts SET status=$2, finished_ms=$3, realised_edge_micros=$4 WHERE group_id=$1",
        attempt.GroupId, WireNames.Of(attempt.Status), nowMs, attempt.RealisedEdge?.Micros);

    /// <inheritdoc/>
    public void OrderSent(ManagedOrder order, long nowMs)
    {
        OrderRequest r = order.Request;
        Enqueue(
            "INSERT OR REPLACE INTO orders(client_order_id, group_id, leg, role, venue, market, outcome, side, tif, post_only, limit_micros, size_micros, status, filled_micros, venue_order_id, reason, sent_ms, updated_ms, expires_ms, fence) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)",
            r.ClientOrderId, order.GroupId, order.Leg, order.Role.ToString().ToLowerInvariant(), order.Venue, r.MarketId, r.Outcome.ToWireName(),
            r.Side == OrderSide.Buy ? "buy" : "sell", WireNames.Of(r.TimeInForce), r.PostOnly ? 1 : 0, r.LimitPrice.Micros, r.Quantity.Micros,
            WireNames.Of(order.Status), order.Filled.Micros, order.VenueOrderId, order.Reason, order.SentMs, nowMs, r.ExpiresAtMs == 0 ? null : r.ExpiresAtMs, order.Fence);
    }

    /// <inheritdoc/>
    public void OrderChanged(ManagedOrder order, long nowMs) => Enqueue(
        "UPDATE orders SET status=$2, filled_micros=$3, venue_order_id=$4, reason=$5, updated_ms=$6 WHERE client_order_id=$1",
        order.Request.ClientOrderId, WireNames.Of(order.Status), order.Filled.Micros, order.VenueOrderId, order.Reason, nowMs);

    /// <inheritdoc/>
    public void OrderAbandoned(string clientOrderId, string reason, long nowMs) => Enqueue(
        "UPDATE orders SET status='expired', reason=$2, updated_ms=$3 WHERE client_order_id=$1",
        clientOrderId, reason, nowMs);

    /// <summary>
    /// At a restart, after the orders left working were closed: every attempt of this engine still
    /// marked working whose orders are all done is closed with what they became (filled,
    /// partially_filled, legged or unfilled), as the execution engine would have judged it (Attempt.Judge).
    /// </summary>
    public void CloseAttemptsLeftWorking(long nowMs) => Enqueue(
        """
        UPDATE attempts SET finished_ms=$2, status=(
            SELECT CASE
                WHEN COALESCE(MAX(o.filled_micros), 0) = 0 THEN 'unfilled'
                WHEN MIN(o.filled_micros >= o.size_micros) = 1 THEN 'filled'
                WHEN COUNT(*) > 1 AND MIN(o.filled_micros) <> MAX(o.filled_micros) THEN 'legged'
                ELSE 'partially_filled' END
            FROM orders o WHERE o.group_id = attempts.group_id)
        WHERE engine=$1 AND status='working'
          AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.group_id = attempts.group_id AND o.status IN ('new', 'acked', 'partially_filled'))
        """,
        _engineId, nowMs);

    /// <inheritdoc/>
    public void FillReceived(Fill fill, string venue, string marketId, long? groupId, long nowMs) => Enqueue(
        "INSERT OR IGNORE INTO fills(venue, trade_id, client_order_id, group_id, market, outcome, side, price_micros, size_micros, fee_micros, maker, venue_ms, received_ms) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)",
        venue, fill.TradeId, fill.ClientOrderId, groupId, marketId, fill.Outcome.ToWireName(), fill.Side == OrderSide.Buy ? "buy" : "sell",
        fill.Price.Micros, fill.Quantity.Micros, fill.Fee.Micros, fill.IsMaker ? 1 : 0, fill.TimestampMs, nowMs);

    /// <summary>A market resolved and the engine's positions there were settled (once per market and resolution time).</summary>
    public void Settled(string venue, string marketId, Outcome winner, Orders.MarketSettlement settlement, long venueMs, long nowMs) => Enqueue(
        "INSERT OR IGNORE INTO settlements(venue, market, winner, yes_micros, no_micros, payout_micros, pnl_micros, venue_ms, recorded_ms) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
        venue, marketId, winner.ToWireName(), settlement.Yes.Micros, settlement.No.Micros, settlement.Payout.Micros, settlement.Pnl.Micros, venueMs, nowMs);

    /// <summary>A position the venue reports differently from the log (replaces the last report for it).</summary>
    public void PositionMismatch(string venue, string marketId, Outcome outcome, Quantity engine, Quantity atVenue, long sinceMs, long nowMs) => Enqueue(
        "INSERT OR REPLACE INTO position_checks(venue, market, outcome, engine_micros, venue_micros, since_ms, checked_ms) VALUES ($1,$2,$3,$4,$5,$6,$7)",
        venue, marketId, outcome.ToWireName(), engine.Micros, atVenue.Micros, sinceMs, nowMs);

    /// <summary>A position the venue and the log agree on again.</summary>
    public void PositionAgrees(string venue, string marketId, Outcome outcome) => Enqueue(
        "DELETE FROM position_checks WHERE venue=$1 AND market=$2 AND outcome=$3",
        venue, marketId, outcome.ToWireName());

    /// <summary>An operator's <c>arbbot positions accept</c> was applied (or could not be: the result says why).</summary>
    public void AcceptApplied(long id, string result, long nowMs) => Enqueue(
        "UPDATE position_accepts SET applied_ms=$2, result=$3 WHERE id=$1",
        id, nowMs, result);

    /// <inheritdoc/>
    public void LeggedChanged(LeggedEpisode episode) => Enqueue(
        "INSERT OR REPLACE INTO legged(id, event, started_ms, outcome, size_micros, cost_micros, status, steps, resolution, ended_ms, loss_micros) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
        episode.Id, episode.EventId, episode.StartedMs, episode.Outcome.ToWireName(), episode.InitialQuantity.Micros, episode.InitialCost.Micros,
        episode.State.ToString().ToLowerInvariant(), episode.Steps, episode.Resolution, episode.EndedMs, episode.Loss?.Micros);

    /// <inheritdoc/>
    public void LeggedAbandoned(long id, string resolution, long nowMs) => Enqueue(
        "UPDATE legged SET status='resolved', resolution=$2, ended_ms=$3 WHERE id=$1",
        id, resolution, nowMs);

    /// <inheritdoc/>
    public void AlertRaised(Execution.Alerts.Alert alert) => Enqueue(
        "INSERT INTO alerts(ts_ms, level, kind, event, message) VALUES ($1,$2,$3,$4,$5)",
        alert.TimestampMs, alert.Level, alert.Kind, alert.EventId, alert.Message);

    /// <summary>Stops the writer after committing everything queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer.IsAlive)
        {
            await Task.Run(() => _writer.Join(TimeSpan.FromSeconds(30))).ConfigureAwait(false);
        }
    }

    private static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();

    private void Enqueue(string sql, params object?[] values)
    {
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(new Row(sql, values)))
        {
            Interlocked.Increment(ref _written); // stopped: nothing will write it; keep FlushAsync from waiting
            _logger.LogError("fill log: a row arrived after the log was closed and was not written: {Sql}", sql);
        }
    }

    private void WriteLoop()
    {
        SqliteConnection? connection = null;
        var commands = new Dictionary<string, SqliteCommand>(StringComparer.Ordinal);
        var batch = new List<Row>();
        ChannelReader<Row> reader = _queue.Reader;
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < 2_000 && reader.TryRead(out Row row))
                {
                    batch.Add(row);
                }

                // Retry the same rows until they are in: a fill log that drops rows is worse than a late one.
                while (true)
                {
                    try
                    {
                        connection ??= OpenConnection(Path);
                        Commit(connection, commands, batch);
                        Interlocked.Add(ref _written, batch.Count);
                        batch.Clear();
                        break;
                    }
                    catch (SqliteException ex) when (ex.SqliteErrorCode == 19 && connection is not null)
                    {
                        // A row breaks a constraint (a bug, not the disk): write the others one by one, name the bad one.
                        int written = 0;
                        foreach (Row row in batch)
                        {
                            try
                            {
                                Commit(connection, commands, [row]);
                            }
                            catch (SqliteException rowError) when (rowError.SqliteErrorCode == 19)
                            {
                                Interlocked.Increment(ref _failures);
                                _logger.LogError("fill log {Path}: row refused ({Message}): {Sql} [{Values}]", Path, rowError.Message, row.Sql, string.Join(", ", row.Values));
                            }

                            written++;
                        }

                        Interlocked.Add(ref _written, written);
                        batch.Clear();
                        break;
                    }
                    catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
                    {
                        long failures = Interlocked.Increment(ref _failures);
                        if (failures <= 5 || failures % 100 == 0)
                        {
                            _logger.LogError("fill log {Path}: write failed ({Message}); retrying the same {Rows} rows", Path, ex.Message, batch.Count);
                        }

                        foreach (SqliteCommand command in commands.Values)
                        {
                            command.Dispose();
                        }

                        commands.Clear();
                        connection?.Dispose();
                        connection = null;
                        Thread.Sleep(500);
                    }
                }
            }
        }
        finally
        {
            foreach (SqliteCommand command in commands.Values)
            {
                command.Dispose();
            }

            connection?.Dispose();
        }
    }

    private static void Commit(SqliteConnection connection, Dictionary<string, SqliteCommand> commands, List<Row> batch)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        foreach (Row row in batch)
        {
            if (!commands.TryGetValue(row.Sql, out SqliteCommand? command))
            {
                command = connection.CreateCommand();
                command.CommandText = row.Sql;
                for (int i = 0; i < row.Values.Length; i++)
                {
                    command.Parameters.Add(new SqliteParameter("$" + (i + 1).ToString(CultureInfo.InvariantCulture), null));
                }

                commands[row.Sql] = command;
            }

            command.Transaction = transaction;
            for (int i = 0; i < row.Values.Length; i++)
            {
                command.Parameters[i].Value = row.Values[i] ?? DBNull.Value;
            }

            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private readonly record struct Row(string Sql, object?[] Values);
}
