using System.Globalization;
using StackExchange.Redis;

namespace ArbBot.Engine.Mirror;

/// <summary>
/// Every Redis call the engine makes, behind one small class (StackExchange.Redis 1.2.6 builds
/// here; moving to 2.x should only touch this file). Connects in the background and keeps
/// retrying: Redis being down never fails or blocks the engine.
/// </summary>
internal sealed class RedisStore : IDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly int _database;

    private RedisStore(ConnectionMultiplexer connection, int database)
    {
        _connection = connection;
        _database = database;
        _connection.ConnectionFailed += (_, e) => Volatile.Write(ref _authenticationRefused,
            e.FailureType == ConnectionFailureType.AuthenticationFailure || IsAuthenticationError(e.Exception?.ToString()));
        _connection.ErrorMessage += (_, e) =>
        {
            if (IsAuthenticationError(e.Message))
            {
                Volatile.Write(ref _authenticationRefused, true);
            }
        };
        _connection.ConnectionRestored += (_, _) => Volatile.Write(ref _authenticationRefused, false);
    }

    private bool _authenticationRefused;

    public bool IsConnected => _connection.IsConnected;

    /// <summary>Whether the last connection attempt failed because the server refused the password (not because nothing answered).</summary>
    public bool AuthenticationRefused => Volatile.Read(ref _authenticationRefused);

    /// <summary>Reads the client's connect log for a refused password.</summary>
    private sealed class AuthenticationWatch : StringWriter
    {
        public bool Refused { get; private set; }

        public override void WriteLine(string? value)
        {
            Refused |= IsAuthenticationError(value);
        }

        public override void Write(string? value)
        {
            Refused |= IsAuthenticationError(value);
        }
    }

    private static bool IsAuthenticationError(string? text) =>
        text is not null && (text.Contains("WRONGPASS", StringComparison.Ordinal) || text.Contains("NOAUTH", StringComparison.Ordinal)
            || text.Contains("invalid password", StringComparison.OrdinalIgnoreCase) || text.Contains("AuthenticationFailure", StringComparison.Ordinal));

    /// <summary>What a failed write says of the server, in a few words: out of memory, stalled, authentication refused, or its own message.</summary>
    public static (string Kind, string Description) Describe(Exception failure) => failure switch
    {
        RedisServerException e when e.Message.StartsWith("OOM", StringComparison.Ordinal) =>
            ("oom", "out of memory: Redis refuses writes (maxmemory reached); the mirror retries and writes everything again once it can"),
        RedisServerException e when e.Message.Contains("NOAUTH", StringComparison.Ordinal) || e.Message.Contains("WRONGPASS", StringComparison.Ordinal) =>
            ("auth", "authentication refused: check redis.password_env"),
        RedisTimeoutException or TimeoutException => ("stalled", "stalled: writes time out (a paused or overloaded Redis)"),
        _ => ("failing", $"writes failing: {failure.Message}"),
    };

    /// <summary>Starts connecting (does not wait for a server to answer).</summary>
    public static RedisStore Connect(string connection, int database, string? password)
    {
        ConfigurationOptions options = ConfigurationOptions.Parse(connection);
        options.AbortOnConnectFail = false; // keep retrying in the background instead of throwing
        options.ConnectTimeout = 2_000;
        options.SyncTimeout = 2_000;
        options.ConnectRetry = 1;
        options.KeepAlive = 5;
        if (password is not null)
        {
            options.Password = password;
        }

        // The first attempt's failures are only told to the connect log (events are subscribed after it returns).
        var log = new AuthenticationWatch();
        var store = new RedisStore(ConnectionMultiplexer.Connect(options, log), database);
        if (log.Refused)
        {
            Volatile.Write(ref store._authenticationRefused, true);
        }

        return store;
    }

    public Batch NewBatch() => new(_connection.GetDatabase(_database));

    public void Dispose() => _connection.Dispose();

    /// <summary>Commands sent together in one pipeline.</summary>
    internal sealed class Batch
    {
        private readonly IBatch _batch;
        private readonly List<Task> _tasks = new();

        public Batch(IDatabase database)
        {
            _batch = database.CreateBatch();
        }

        public int Count => _tasks.Count;

        public void HashSet(string key, HashEntry[] fields) => _tasks.Add(_batch.HashSetAsync(key, fields));

        public void Expire(string key, TimeSpan expiry) => _tasks.Add(_batch.KeyExpireAsync(key, expiry));

        public void Delete(string key) => _tasks.Add(_batch.KeyDeleteAsync(key));

        public Task<HashEntry[]> HashGetAll(string key)
        {
            Task<HashEntry[]> task = _batch.HashGetAllAsync(key);
            _tasks.Add(task);
            return task;
        }

        public Task<RedisResult> Evaluate(string script, RedisKey[] keys, RedisValue[] values)
        {
            Task<RedisResult> task = _batch.ScriptEvaluateAsync(script, keys, values);
            _tasks.Add(task);
            return task;
        }

        public void StringSet(string key, string value, TimeSpan expiry) => _tasks.Add(_batch.StringSetAsync(key, value, expiry));

        public void Publish(string channel, string message) => _tasks.Add(_batch.PublishAsync(channel, message));

        public void SetAdd(string key, string member) => _tasks.Add(_batch.SetAddAsync(key, member));

        /// <summary>GETDEL (Redis 6.2+): reads a key and deletes it in one step; the task gives the value or null.</summary>
        public Task<RedisResult> TakeString(string key)
        {
            Task<RedisResult> task = _batch.ExecuteAsync("GETDEL", key);
            _tasks.Add(task);
            return task;
        }

        /// <summary>XADD with an approximate length cap (streams are reached through the raw command in 1.2.6).</summary>
        public void StreamAdd(string key, int maxLength, IReadOnlyList<(string Field, string Value)> fields)
        {
            var args = new List<object>(4 + (fields.Count * 2)) { key, "MAXLEN", "~", maxLength.ToString(CultureInfo.InvariantCulture), "*" };
            foreach ((string field, string value) in fields)
            {
                args.Add(field);
                args.Add(value);
            }

            _tasks.Add(_batch.ExecuteAsync("XADD", args.ToArray()));
        }

        /// <summary>Sends everything and waits for Redis to acknowledge all of it.</summary>
        public async Task ExecuteAsync()
        {
            if (_tasks.Count == 0)
            {
                return;
            }

            _batch.Execute();
            await Task.WhenAll(_tasks).ConfigureAwait(false);
        }
    }
}
