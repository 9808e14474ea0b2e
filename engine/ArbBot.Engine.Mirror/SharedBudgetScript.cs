namespace ArbBot.Engine.Mirror;

/// <summary>
/// The one atomic step of the shared risk budget (docs/redis.md, "Shared risk budget"): a hash
/// <c>{prefix}:budget:{name}</c> holds every engine's grant per unit (<c>engine|unit</c> -> micro-dollars)
/// and each engine's lease (<c>engine|lease</c> -> expiry, Unix ms on the Redis server's clock).
/// One call, from one engine:
/// <list type="number">
/// <item>returns to the budget the grants of engines whose lease has expired (dead or cut off);</item>
/// <item>keeps of this engine's grants what it still asks for (a release);</item>
/// <item>raises a grant only where the unit's budget and the total budget have room after every other engine's grants;</item>
/// <item>renews this engine's lease, or with lease 0 removes it (the engine stops);</item>
/// <item>returns this engine's grants, in the order asked.</item>
/// </list>
/// So the sum of the grants in the hash is never above the total, nor a unit's above its budget.
/// KEYS: the budget hash. ARGV: engine id, lease ms (0: leaving), total micros, per-unit micros, then unit, wanted micros pairs.
/// Amounts are exact in Lua's doubles below 2^53 micro-dollars ($9 billion).
/// </summary>
public static class SharedBudgetScript
{
    /// <summary>The script.</summary>
    public const string Source = """
        local key = KEYS[1]
        local me = ARGV[1]
        local lease = tonumber(ARGV[2])
        local total = tonumber(ARGV[3])
        local perUnit = tonumber(ARGV[4])
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local fields = redis.call('HGETALL', key)
        local expiry = {}
        for i = 1, #fields, 2 do
          local bar = string.find(fields[i], '|', 1, true)
          if bar and string.sub(fields[i], bar + 1) == 'lease' then
            expiry[string.sub(fields[i], 1, bar - 1)] = tonumber(fields[i + 1])
          end
        end
        local othersTotal = 0
        local othersUnit = {}
        local mine = {}
        for i = 1, #fields, 2 do
          local bar = string.find(fields[i], '|', 1, true)
          if bar then
            local engine = string.sub(fields[i], 1, bar - 1)
            local unit = string.sub(fields[i], bar + 1)
            if engine == me then
              if unit ~= 'lease' then mine[unit] = tonumber(fields[i + 1]) end
            elseif expiry[engine] == nil or expiry[engine] <= now then
              redis.call('HDEL', key, fields[i])
            elseif unit ~= 'lease' then
              local amount = tonumber(fields[i + 1])
              othersTotal = othersTotal + amount
              othersUnit[unit] = (othersUnit[unit] or 0) + amount
            end
          end
        end
        local count = (#ARGV - 4) / 2
        local asked = {}
        local kept = {}
        local keptTotal = 0
        for i = 1, count do
          local unit = ARGV[3 + 2 * i]
          local want = tonumber(ARGV[4 + 2 * i])
          asked[unit] = true
          kept[i] = math.min(want, mine[unit] or 0)
          keptTotal = keptTotal + kept[i]
        end
        for unit, _ in pairs(mine) do
          if not asked[unit] then redis.call('HDEL', key, me .. '|' .. unit) end
        end
        local free = total - othersTotal - keptTotal
        local granted = {}
        for i = 1, count do
          local unit = ARGV[3 + 2 * i]
          local want = tonumber(ARGV[4 + 2 * i])
          local grant = kept[i]
          if want > grant and free > 0 then
            local more = math.min(want - grant, perUnit - (othersUnit[unit] or 0) - grant, free)
            if more > 0 then
              grant = grant + more
              free = free - more
            end
          end
          if grant > 0 then
            redis.call('HSET', key, me .. '|' .. unit, string.format('%.0f', grant))
          else
            redis.call('HDEL', key, me .. '|' .. unit)
          end
          granted[i] = grant
        end
        if lease > 0 then
          redis.call('HSET', key, me .. '|lease', string.format('%.0f', now + lease))
        else
          redis.call('HDEL', key, me .. '|lease')
        end
        return granted
        """;
}
