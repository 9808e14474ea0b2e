using System.Globalization;
using System.Text.Json.Nodes;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Mirror;
using StackExchange.Redis;

namespace ArbBot.Cli.Dashboard;

/// <summary>
/// Reads what the engines mirror into Redis (docs/redis.md) into a <see cref="DashboardSnapshot"/>:
/// every engine's heartbeat and status, the books of every pair they run with the edge each way
/// after fees (the same fee models the engine uses, from the fees it publishes), the latest
/// opportunities joined with what became of them, and alerts. It never writes, except the kill keys.
/// </summary>
internal sealed class DashboardReader : IDisposable
{
    private const int MaxHistory = 3600;

    // The page filters recent opportunities by strategy and outcome: it needs more than the 30 it shows.
    private const int RecentOpportunities = 200;
    private readonly RedisConnection _redis;
    private readonly int _database;
    private readonly string _prefix;
    private readonly List<PnlPoint> _history = new();
    private long _lastHistoryMs;

    private DashboardReader(RedisConnection redis, int database, string prefix, string address)
    {
        _redis = redis;
        _database = database;
        _prefix = prefix;
        Address = address;
    }

    /// <summary>The Redis address read from.</summary>
    public string Address { get; }

    /// <summary>Connects to the Redis of a config's <c>redis:</c> section (keeps retrying in the background when none answers).</summary>
    public static DashboardReader Connect(RedisOptions options) =>
        new(RedisClients.Connect(options), options.Database, options.KeyPrefix, options.Connection);

    /// <summary>Reads everything once.</summary>
    public async Task<DashboardSnapshot> ReadAsync()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (!_redis.IsConnected)
        {
            return new DashboardSnapshot(now, $"not connected: no Redis answering at {Address} (retrying)", [], [], [], [], History());
        }

        IDatabase db = _redis.Database(_database)!;
        var engines = new List<EngineView>();
        var pairs = new List<PairView>();
        Money pnl = Money.Zero;
        bool anyPnl = false;
        GlobalKillStatus kill = await GlobalKill.ReadAsync(db, new RedisKeys(_prefix)).ConfigureAwait(false);
        foreach (RedisValue id in (await db.SetMembersAsync($"{_prefix}:engines").ConfigureAwait(false)).OrderBy(v => (string?)v, StringComparer.Ordinal))
        {
            Dictionary<string, string> beat = (await db.HashGetAllAsync($"{_prefix}:engine:{id}").ConfigureAwait(false))
                .ToDictionary(e => (string)e.Name!, e => (string?)e.Value ?? "", StringComparer.Ordinal);
            if (beat.Count == 0)
            {
                continue; // heartbeat expired: the engine stopped more than 10 s ago
            }

            string? json = await db.StringGetAsync($"{_prefix}:engine:{id}:status").ConfigureAwait(false);
            JsonNode? status = json is { Length: > 0 } ? JsonNode.Parse(json) : null;
            long updated = Long(beat, "updated_ms");
            KillAck? ack = kill.Acks.FirstOrDefault(a => a.Engine == (string?)id);
            engines.Add(new EngineView(id!, now - updated < 5_000, now - updated, Long(beat, "book_updates"),
                beat.GetValueOrDefault("mirror_lag_p50_ms", ""), beat.GetValueOrDefault("mirror_lag_p99_ms", ""), status)
            {
                Ownership = beat.TryGetValue("role", out string? role)
                    ? $"{role}: {beat.GetValueOrDefault("pairs_owned", "0")} of {beat.GetValueOrDefault("pairs", "?")}, share {beat.GetValueOrDefault("pairs_share", "?")}"
                    : "all",
                KillAck = ack is null ? "" : $"command {ack.Generation}: {ack.State} at {ack.At}{(ack.Generation < kill.Command.Generation ? $" (not the latest, {kill.Command.Generation})" : "")}",
            });
            if (beat.TryGetValue("pnl", out string? enginePnl) && Money.TryParse(enginePnl, out Money parsed))
            {
                pnl += parsed;
                anyPnl = true;
            }

            pairs.AddRange(await ReadPairsAsync(db, id!, now).ConfigureAwait(false));
        }

        if (anyPnl && now - _lastHistoryMs >= 1_000)
        {
            _lastHistoryMs = now;
            _history.Add(new PnlPoint(now, pnl.ToString()));
            if (_history.Count > MaxHistory)
            {
                _history.RemoveAt(0);
            }
        }

        return new DashboardSnapshot(now, "connected", engines, pairs, await ReadOpportunitiesAsync(db).ConfigureAwait(false), await ReadAlertsAsync(db).ConfigureAwait(false), History());
    }

    /// <summary>
    /// Engages (halt or flatten) or clears the kill switch of every engine on this Redis through the
    /// global kill command (<see cref="GlobalKill"/>): engines started later obey it too. Returns
    /// the generation sent and the engines with a heartbeat now (each acknowledges in the acks hash).
    /// </summary>
    public async Task<(long Generation, IReadOnlyList<string> Engines)> KillAsync(string mode, string reason)
    {
        IDatabase db = _redis.IsConnected && _redis.Database(_database) is { } connected
            ? connected
            : throw new InvalidOperationException($"no Redis answering at {Address}");
        var keys = new RedisKeys(_prefix);
        long generation = await GlobalKill.SendAsync(db, keys, $"{mode}:{reason}", $"dashboard on {Environment.MachineName}").ConfigureAwait(false);
        return (generation, await GlobalKill.LiveEnginesAsync(db, keys).ConfigureAwait(false));
    }

    public void Dispose() => _redis.Dispose();

    /// <summary>An engine's pairs (its pairs hash, in event order) with the books of their legs and the edge each way at its fee models.</summary>
    private async Task<List<PairView>> ReadPairsAsync(IDatabase db, string engine, long now)
    {
        var layout = (await db.HashGetAllAsync($"{_prefix}:engine:{engine}:pairs").ConfigureAwait(false))
            .Select(e => (Event: (string)e.Name!, Legs: EngineLayout.ParseLegs((string?)e.Value ?? "")))
            .OrderBy(p => p.Event, StringComparer.Ordinal)
            .ToList();
        var fees = new Dictionary<string, IFeeModel>(StringComparer.Ordinal);
        foreach (string venue in layout.SelectMany(p => p.Legs).Select(l => l.Venue).Distinct(StringComparer.Ordinal))
        {
            var spec = (await db.HashGetAllAsync($"{_prefix}:engine:{engine}:fees:{venue}").ConfigureAwait(false))
                .ToDictionary(e => (string)e.Name!, e => (string?)e.Value ?? "", StringComparer.Ordinal);
            if (spec.Count > 0)
            {
                fees[venue] = new FeeSpec(spec.GetValueOrDefault("model", "none"), Price.Parse(spec.GetValueOrDefault("multiplier", "1")),
                    spec.GetValueOrDefault("maker_fees") == "1", Price.Parse(spec.GetValueOrDefault("rate", "0"))).Create();
            }
        }

        var pairs = new List<PairView>();
        foreach ((string eventId, IReadOnlyList<(string Venue, string Market)> legList) in layout)
        {
            var legs = new List<LegView>();
            foreach ((string venue, string market) in legList)
            {
                legs.Add(new LegView(venue, market, await TopAsync(db, venue, market, "yes", now).ConfigureAwait(false), await TopAsync(db, venue, market, "no", now).ConfigureAwait(false)));
            }

            var edges = new List<EdgeView>();
            if (legs.Count == 2)
            {
                edges.Add(Edge(legs[0], legs[1], fees));
                edges.Add(Edge(legs[1], legs[0], fees));
            }

            pairs.Add(new PairView(engine, eventId, legs, edges));
        }

        return pairs;
    }

    private async Task<TopView?> TopAsync(IDatabase db, string venue, string market, string outcome, long now)
    {
        HashEntry[] fields = await db.HashGetAllAsync($"{_prefix}:book:{venue}:{market}:{outcome}").ConfigureAwait(false);
        if (fields.Length == 0)
        {
            return null;
        }

        var f = fields.ToDictionary(e => (string)e.Name!, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        return new TopView(f.GetValueOrDefault("bid", ""), f.GetValueOrDefault("bid_size", ""), f.GetValueOrDefault("ask", ""), f.GetValueOrDefault("ask_size", ""),
            f.GetValueOrDefault("stale") == "1", now - Long(f, "updated_ms"));
    }

    /// <summary>YES on <paramref name="yesLeg"/> and NO on <paramref name="noLeg"/> at the best asks, for the size both show, with each venue's taker fee.</summary>
    private static EdgeView Edge(LegView yesLeg, LegView noLeg, IReadOnlyDictionary<string, IFeeModel> fees)
    {
        var none = new EdgeView(yesLeg.Venue, noLeg.Venue, yesLeg.Yes?.Ask ?? "", noLeg.No?.Ask ?? "", "", "", "", "", false);
        if (yesLeg.Yes is not { Stale: false } yes || noLeg.No is not { Stale: false } no
            || !Price.TryParse(yes.Ask, out Price yesAsk) || !Price.TryParse(no.Ask, out Price noAsk)
            || !Quantity.TryParse(yes.AskSize, out Quantity yesSize) || !Quantity.TryParse(no.AskSize, out Quantity noSize))
        {
            return none;
        }

        if (TopOfBookEdge.Of(yesAsk, yesSize, fees.GetValueOrDefault(yesLeg.Venue, NoFees.Instance), noAsk, noSize, fees.GetValueOrDefault(noLeg.Venue, NoFees.Instance)) is not { } edge)
        {
            return none;
        }

        return new EdgeView(yesLeg.Venue, noLeg.Venue, yes.Ask, no.Ask, edge.Size.ToString(), edge.Fees.ToString(), edge.Edge.ToString(), edge.PerContract.ToString(), edge.Edge > Money.Zero);
    }

    private async Task<List<OpportunityView>> ReadOpportunitiesAsync(IDatabase db)
    {
        var outcomes = new Dictionary<(string Engine, string Id), (string Outcome, string Detail)>();
        foreach (Dictionary<string, string> o in await XRevRangeAsync(db, $"{_prefix}:outcomes", 500).ConfigureAwait(false))
        {
            outcomes.TryAdd((o.GetValueOrDefault("engine", ""), o.GetValueOrDefault("id", "")), (o.GetValueOrDefault("outcome", ""), o.GetValueOrDefault("detail", "")));
        }

        var opportunities = new List<OpportunityView>();
        foreach (Dictionary<string, string> o in await XRevRangeAsync(db, $"{_prefix}:opps", RecentOpportunities).ConfigureAwait(false))
        {
            string engine = o.GetValueOrDefault("engine", "");
            string id = o.GetValueOrDefault("id", "");
            (string outcome, string detail) = outcomes.TryGetValue((engine, id), out var found) ? found : ("pending", "");
            opportunities.Add(new OpportunityView(id, Long(o, "ts"), engine, o.GetValueOrDefault("strategy", ""), o.GetValueOrDefault("event", ""),
                o.GetValueOrDefault("edge", ""), o.GetValueOrDefault("size", ""), outcome, detail));
        }

        return opportunities;
    }

    private async Task<List<AlertView>> ReadAlertsAsync(IDatabase db) =>
        (await XRevRangeAsync(db, $"{_prefix}:alerts", 20).ConfigureAwait(false))
            .Select(a => new AlertView(Long(a, "ts"), a.GetValueOrDefault("level", ""), a.GetValueOrDefault("kind", ""), a.GetValueOrDefault("event", ""), a.GetValueOrDefault("message", "")))
            .ToList();

    /// <summary>The newest entries of a stream, newest first (streams are reached through the raw command in StackExchange.Redis 1.2.6).</summary>
    private static async Task<List<Dictionary<string, string>>> XRevRangeAsync(IDatabase db, string key, int count)
    {
        RedisResult result = await db.ExecuteAsync("XREVRANGE", key, "+", "-", "COUNT", count.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        var entries = new List<Dictionary<string, string>>();
        foreach (RedisResult entry in (RedisResult[]?)result ?? [])
        {
            var parts = (RedisResult[])entry!;
            var values = (string?[])parts[1]!;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i + 1 < values!.Length; i += 2)
            {
                fields[values[i] ?? ""] = values[i + 1] ?? "";
            }

            entries.Add(fields);
        }

        return entries;
    }

    private List<PnlPoint> History() => _history.ToList();

    private static long Long(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out string? text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : 0;
}
