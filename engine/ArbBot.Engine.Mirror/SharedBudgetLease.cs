using System.Diagnostics;
using System.Globalization;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Risk.Budget;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ArbBot.Engine.Mirror;

/// <summary>
/// Keeps this engine's grants of the shared risk budget (<see cref="SharedBudget"/>) in step with
/// Redis, on a thread of its own: every 100 ms it asks the kernel what the engine holds and wants,
/// runs <see cref="SharedBudgetScript"/> and hands the grants back to the kernel. Nothing on the
/// decision path waits for it. When Redis does not answer for half a lease, the engine falls back
/// to its local share before its grants can expire in Redis and go to other engines. On stop it
/// returns its grants.
/// </summary>
public sealed class SharedBudgetLease : IDisposable
{
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(100);

    private readonly RedisOptions _redis;
    private readonly string _engineId;
    private readonly EngineKernel _kernel;
    private readonly SharedBudget _budget;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly long[] _desired;
    private readonly RedisKey[] _key;
    private readonly Func<bool> _begin;
    private Thread? _thread;

    /// <summary>Creates the lease; <see cref="Start"/> starts it.</summary>
    public SharedBudgetLease(RedisOptions redis, string engineId, EngineKernel kernel, SharedBudget budget, ILogger logger)
    {
        _redis = redis;
        _engineId = engineId;
        _kernel = kernel;
        _budget = budget;
        _logger = logger;
        _desired = new long[budget.UnitNames.Count];
        _key = [BudgetKey(redis.KeyPrefix, budget.Options.Name)];
        _begin = () =>
        {
            _budget.BeginRound(_desired);
            return true;
        };
    }

    /// <summary>The budget hash of a budget name.</summary>
    public static string BudgetKey(string prefix, string name) => $"{prefix}:budget:{name}";

    /// <summary>Starts the rounds.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "arbbot-shared-budget" };
        _thread.Start();
    }

    private void Run()
    {
        TimeSpan lease = _budget.Options.Lease;
        int timeoutMs = (int)Math.Clamp(lease.TotalMilliseconds / 4, 100, 2_000);
        using RedisConnection redis = RedisConnection.Open(_redis.Connection, RedisClients.Password(_redis), timeoutMs: timeoutMs);
        long lastGrant = Stopwatch.GetTimestamp(); // the grants (none yet) are good for half a lease from here
        bool local = false;
        while (!_stop.IsCancellationRequested)
        {
            long sent = Stopwatch.GetTimestamp();
            string? failure;
            try
            {
                failure = RenewOnce(redis, lease);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                failure = ex.Message;
            }

            if (failure is null)
            {
                lastGrant = sent;
                if (local)
                {
                    _logger.LogInformation("shared budget \"{Name}\": Redis grants again; the local share no longer applies", _budget.Options.Name);
                    local = false;
                }
            }
            else if (!local && Stopwatch.GetElapsedTime(lastGrant) >= lease / 2)
            {
                // Before the grants can expire in Redis (a lease after the last renewal) and go to other engines.
                local = true;
                string why = $"Redis not answering ({failure})";
                _kernel.InvokeAsync(() =>
                {
                    _budget.FallBack(why);
                    return true;
                });
                _logger.LogWarning("shared budget \"{Name}\": no grant renewed for {Seconds:0.#} s ({Failure}): trading within the local share {Share} of the budget until Redis answers",
                    _budget.Options.Name, Stopwatch.GetElapsedTime(lastGrant).TotalSeconds, failure, _budget.Options.LocalShare);
            }

            _stop.Token.WaitHandle.WaitOne(Round);
        }

        Release(redis);
    }

    /// <summary>One round; null when Redis granted, else why not.</summary>
    private string? RenewOnce(RedisConnection redis, TimeSpan lease)
    {
        if (!redis.IsConnected || redis.Database(_redis.Database) is not { } db)
        {
            return $"no Redis answering at {_redis.Connection}";
        }

        if (!_kernel.InvokeAsync(_begin).Wait(TimeSpan.FromSeconds(5)))
        {
            return "the kernel did not answer"; // stopping, or stuck (its watchdog says so)
        }

        long sent = _budget.Now;
        var granted = (long[])db.ScriptEvaluate(SharedBudgetScript.Source, _key, Arguments(lease))!;
        _kernel.InvokeAsync(() =>
        {
            _budget.Apply(granted, sent);
            return true;
        });
        return null;
    }

    private void Release(RedisConnection redis)
    {
        // The engine stops: its grants go back to the budget (Redis would return them after the lease anyway).
        try
        {
            if (redis.IsConnected && redis.Database(_redis.Database) is { } db)
            {
                Array.Clear(_desired);
                db.ScriptEvaluate(SharedBudgetScript.Source, _key, Arguments(TimeSpan.Zero));
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning("shared budget \"{Name}\": could not return the grants ({Error}); they return after the lease", _budget.Options.Name, ex.Message);
        }
    }

    private RedisValue[] Arguments(TimeSpan lease)
    {
        var args = new RedisValue[4 + (2 * _desired.Length)];
        args[0] = _engineId;
        args[1] = (long)lease.TotalMilliseconds;
        args[2] = _budget.Options.TotalUsd.Micros;
        args[3] = _budget.Options.EventUsd.Micros;
        for (int u = 0; u < _desired.Length; u++)
        {
            args[4 + (2 * u)] = _budget.UnitNames[u];
            args[5 + (2 * u)] = _desired[u].ToString(CultureInfo.InvariantCulture);
        }

        return args;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
