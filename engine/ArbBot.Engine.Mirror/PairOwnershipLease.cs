using System.Diagnostics;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Risk.Ownership;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ArbBot.Engine.Mirror;

/// <summary>
/// Keeps this engine's pair leases (<see cref="PairOwnership"/>) in Redis, on a thread of its own,
/// every fifth of a lease: it renews its membership in <c>{prefix}:ownership:engines</c> (engine
/// -> "expiry role", dropping expired members), works out its share of the pairs (the pairs over
/// the live active engines, rounded up; a standby's share is none while an active engine lives,
/// all of them otherwise), renews what it owns, hands back pairs beyond its share that are neither
/// legged nor have buys working, and claims free pairs up to its share. Nothing on the decision
/// path waits for Redis: the kernel reads the leases in memory.
/// </summary>
public sealed class PairOwnershipLease : IDisposable
{
    /// <summary>Adds this engine to the members (or removes it with lease 0); returns the server's time (Unix ms), then each live member and its role (KEYS: members hash; ARGV: engine, lease ms, role).</summary>
    internal const string MembersScript = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        if tonumber(ARGV[2]) > 0 then
          redis.call('HSET', KEYS[1], ARGV[1], string.format('%.0f', now + tonumber(ARGV[2])) .. ' ' .. ARGV[3])
        else
          redis.call('HDEL', KEYS[1], ARGV[1])
        end
        local fields = redis.call('HGETALL', KEYS[1])
        local live = {string.format('%.0f', now)}
        for i = 1, #fields, 2 do
          local space = string.find(fields[i + 1], ' ', 1, true)
          if tonumber(string.sub(fields[i + 1], 1, space - 1)) <= now then
            redis.call('HDEL', KEYS[1], fields[i])
          else
            table.insert(live, fields[i])
            table.insert(live, string.sub(fields[i + 1], space + 1))
          end
        end
        return live
        """;

    private readonly RedisOptions _redis;
    private readonly string _engineId;
    private readonly EngineKernel _kernel;
    private readonly PairOwnership _ownership;
    private readonly ExecutionEngine _execution;
    private readonly Inventory _inventory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly RedisKey[] _members;
    private static readonly RedisValue[] s_ownerFields = ["owner", "expires", "fence"];
    private readonly RedisKey[][] _pairKeys;
    private Thread? _thread;

    /// <summary>Creates the lease keeper; <see cref="Start"/> starts it.</summary>
    public PairOwnershipLease(RedisOptions redis, string engineId, EngineKernel kernel, PairOwnership ownership, ExecutionEngine execution, Inventory inventory, ILogger logger)
    {
        _redis = redis;
        _engineId = engineId;
        _kernel = kernel;
        _ownership = ownership;
        _execution = execution;
        _inventory = inventory;
        _logger = logger;
        _members = [MembersKey(redis.KeyPrefix)];
        _pairKeys = ownership.EventIds.Select(e => new RedisKey[] { OwnerKey(redis.KeyPrefix, e) }).ToArray();
    }

    /// <summary>The hash of one pair's owner, fence and expiry.</summary>
    public static string OwnerKey(string prefix, string eventId) => $"{prefix}:owner:{eventId}";

    /// <summary>The hash of the engines taking part (engine -> "expiry role").</summary>
    public static string MembersKey(string prefix) => $"{prefix}:ownership:engines";

    /// <summary>Pairs this engine's share allows now (as last worked out).</summary>
    public int Share { get; private set; }

    /// <summary>Starts the rounds.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "arbbot-pair-ownership" };
        _thread.Start();
    }

    private void Run()
    {
        TimeSpan round = _ownership.Lease / 5;
        int timeoutMs = (int)Math.Clamp(_ownership.Lease.TotalMilliseconds / 5, 100, 2_000);
        using RedisConnection redis = RedisConnection.Open(_redis.Connection, RedisClients.Password(_redis), timeoutMs: timeoutMs);
        string? failing = null;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (redis.IsConnected && redis.Database(_redis.Database) is { } db)
                {
                    RunRound(db);
                    if (failing is not null)
                    {
                        _logger.LogInformation("pair ownership: Redis answers again; leases renewed");
                        failing = null;
                    }
                }
                else if (failing is null)
                {
                    failing = "not connected";
                    _logger.LogWarning("pair ownership: no Redis answering at {Connection}: no pair is renewed, and each stops trading half a lease after its last renewal", _redis.Connection);
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (failing is null)
                {
                    _logger.LogWarning("pair ownership: renewing failed ({Error}): each pair stops trading half a lease after its last renewal", ex.Message);
                }

                failing = ex.Message;
            }

            _stop.Token.WaitHandle.WaitOne(round);
        }

        Leave(redis);
    }

    private void RunRound(IDatabase db)
    {
        long sent = _ownership.Now;
        long leaseMs = (long)_ownership.Lease.TotalMilliseconds;
        string role = _ownership.Standby ? "standby" : "active";
        var live = (RedisResult[])db.ScriptEvaluate(MembersScript, _members, [_engineId, leaseMs, role])!;
        long serverNowMs = (long)live[0];
        int actives = 0;
        for (int i = 2; i < live.Length; i += 2)
        {
            actives += (string?)live[i] == "active" ? 1 : 0;
        }

        int pairs = _pairKeys.Length;
        Share = _ownership.Standby ? (actives == 0 ? pairs : 0) : (pairs + Math.Max(actives, 1) - 1) / Math.Max(actives, 1);
        (bool[] owned, bool[] handOver) = _kernel.InvokeAsync(() =>
        {
            bool[] held = _ownership.Owned();
            bool[] free = new bool[held.Length];
            for (int e = 0; e < held.Length; e++)
            {
                free[e] = held[e] && CanHandOver(e);
            }

            return (held, free);
        }).GetAwaiter().GetResult();

        // Renew what is owned, handing back what is beyond the share and can go; then claim up to the share.
        int keep = owned.Count(o => o);
        var modes = new string?[pairs];
        for (int e = 0; e < pairs; e++)
        {
            if (owned[e])
            {
                modes[e] = keep > Share && handOver[e] ? "release" : "renew";
                keep -= modes[e] == "release" ? 1 : 0;
            }
        }

        if (keep < Share)
        {
            // Claim only pairs that look free now (the script decides atomically); engines start at different
            // pairs, so that several starting together do not all ask for the same ones.
            IBatch look = db.CreateBatch();
            var seen = new Task<RedisValue[]>?[pairs];
            for (int e = 0; e < pairs; e++)
            {
                seen[e] = modes[e] is null ? look.HashGetAsync(_pairKeys[e][0], s_ownerFields) : null;
            }

            look.Execute();
            Task.WhenAll(seen.OfType<Task<RedisValue[]>>()).GetAwaiter().GetResult();
            int start = Random.Shared.Next(Math.Max(pairs, 1));
            for (int k = 0; k < pairs && keep < Share; k++)
            {
                int e = (start + k) % pairs;
                if (seen[e] is { } fields && fields.Result is [var owner, var expires, var fence]
                    && (owner.IsNullOrEmpty || (long)expires <= serverNowMs) && !(_ownership.Standby && fence.IsNull))
                {
                    modes[e] = _ownership.Standby ? "takeover" : "claim";
                    keep++;
                }
            }
        }

        IBatch batch = db.CreateBatch();
        var answers = new Task<RedisResult>?[pairs];
        for (int e = 0; e < pairs; e++)
        {
            if (modes[e] is { } mode)
            {
                answers[e] = batch.ScriptEvaluateAsync(PairOwnershipScript.Source, _pairKeys[e], [_engineId, leaseMs, mode]);
            }
        }

        batch.Execute();
        Task.WhenAll(answers.OfType<Task<RedisResult>>()).GetAwaiter().GetResult();
        var results = new (bool Owns, long Fence)[pairs];
        for (int e = 0; e < pairs; e++)
        {
            if (answers[e] is { } answer)
            {
                var reply = (RedisResult[])answer.Result!;
                results[e] = ((long)reply[0] == 1, (long)reply[1]);
            }
        }

        _kernel.InvokeAsync(() =>
        {
            for (int e = 0; e < results.Length; e++)
            {
                if (results[e].Owns)
                {
                    _ownership.Confirmed(e, results[e].Fence, sent);
                }
                else
                {
                    _ownership.Lost(e);
                }
            }

            return true;
        }).GetAwaiter().GetResult();
    }

    // Kernel thread: a pair goes to another engine only when it is not legged and has no buys working.
    private bool CanHandOver(int eventIndex) => !_execution.Policy.IsLegged(eventIndex) && _inventory.ExposureOf(eventIndex).OpenBuys.Micros == 0;

    private void Leave(RedisConnection redis)
    {
        // Stopping: hand back every pair and leave the members, so that the others take over at once.
        try
        {
            if (redis.IsConnected && redis.Database(_redis.Database) is { } db)
            {
                IBatch batch = db.CreateBatch();
                var tasks = _pairKeys.Select(key => batch.ScriptEvaluateAsync(PairOwnershipScript.Source, key, [_engineId, 1, "release"]))
                    .Append(batch.ScriptEvaluateAsync(MembersScript, _members, [_engineId, 0, "active"])).ToArray();
                batch.Execute();
                Task.WaitAll(tasks, TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or AggregateException)
        {
            _logger.LogWarning("pair ownership: could not hand the pairs back ({Error}); they free up when their leases expire", ex.Message);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
