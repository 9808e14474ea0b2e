using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Mirror;

/// <summary>Connections to the Redis of a config's <c>redis:</c> section for tools (the dashboard, <c>arbbot top</c>, <c>arbbot kill</c>).</summary>
public static class RedisClients
{
    /// <summary>Starts connecting (keeps retrying in the background when nothing answers); the password comes from <c>redis.password_env</c>.</summary>
    public static RedisConnection Connect(RedisOptions options) => RedisConnection.Open(options.Connection, Password(options));

    /// <summary>The password in the environment variable <c>redis.password_env</c> names, or null.</summary>
    public static string? Password(RedisOptions options) =>
        options.PasswordEnv is { } env && Environment.GetEnvironmentVariable(env) is { Length: > 0 } password ? password : null;
}
