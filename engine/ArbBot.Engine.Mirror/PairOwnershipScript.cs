namespace ArbBot.Engine.Mirror;

/// <summary>
/// The atomic step of pair ownership (docs/redis.md, "Pair ownership"), on one hash per pair,
/// <c>{prefix}:owner:{event}</c>: <c>owner</c> (engine id, empty when released), <c>fence</c> (goes
/// up by one with each new owner and never down) and <c>expires</c> (Unix ms on the Redis
/// server's clock). KEYS: the pair's hash. ARGV: engine id, lease ms, mode:
/// <list type="bullet">
/// <item><c>renew</c>: extends the lease if this engine owns the pair and its lease has not expired;</item>
/// <item><c>claim</c>: the same, or takes a pair nobody owns (never owned, released, or its owner's lease expired);</item>
/// <item><c>takeover</c> (a standby): the same, but only a pair that had an owner who is gone;</item>
/// <item><c>release</c>: hands the pair back if this engine owns it.</item>
/// </list>
/// Returns {1, fence} when this engine owns the pair after the call, else {0, fence, owner}.
/// </summary>
public static class PairOwnershipScript
{
    /// <summary>The script.</summary>
    public const string Source = """
        local key = KEYS[1]
        local me = ARGV[1]
        local lease = tonumber(ARGV[2])
        local mode = ARGV[3]
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local owner = redis.call('HGET', key, 'owner') or ''
        local expires = tonumber(redis.call('HGET', key, 'expires') or '0')
        local fence = tonumber(redis.call('HGET', key, 'fence') or '0')
        if owner == me and expires > now then
          if mode == 'release' then
            redis.call('HSET', key, 'owner', '', 'expires', '0')
            return {0, fence, ''}
          end
          redis.call('HSET', key, 'expires', string.format('%.0f', now + lease))
          return {1, fence}
        end
        if mode == 'renew' or mode == 'release' then
          return {0, fence, owner}
        end
        local free = owner == '' or expires <= now
        if not free or (mode == 'takeover' and fence == 0) then
          return {0, fence, owner}
        end
        fence = fence + 1
        redis.call('HSET', key, 'owner', me, 'fence', string.format('%.0f', fence), 'expires', string.format('%.0f', now + lease))
        return {1, fence}
        """;
}
