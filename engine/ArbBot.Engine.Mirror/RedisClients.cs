using ArbBot.Engine.Configuration;
using StackExchange.Redis;

namespace ArbBot.Engine.Mirror;

/// <summary>Connections to the Redis of a config's <c>redis:</c> section for tools (the dashboard, <c>arbbot top</c>, <c>arbbot kill</c>).</summary>
public static class RedisClients
{
    /// <summary>Starts connecting (keeps retrying in the background when no server answers); the password comes from <c>redis.password_env</c>.</summary>
    public static ConnectionMultiplexer Connect(RedisOptions options)
    {
        ConfigurationOptions parsed = ConfigurationOptions.Parse(options.Connection);
        parsed.AbortOnConnectFail = false;
        parsed.ConnectTimeout = 2_000;
        parsed.SyncTimeout = 2_000;
        if (options.PasswordEnv is { } env && Environment.GetEnvironmentVariable(env) is { Length: > 0 } password)
        {
            parsed.Password = password;
        }

        return ConnectionMultiplexer.Connect(parsed);
    }

    /// <summary>Waits until the connection is up, up to <paramref name="timeout"/>; false if it is not.</summary>
    public static async Task<bool> WaitConnectedAsync(ConnectionMultiplexer redis, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!redis.IsConnected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        return redis.IsConnected;
    }
}
