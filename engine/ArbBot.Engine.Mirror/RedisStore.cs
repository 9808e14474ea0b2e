using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace ArbBot.Engine.Mirror;

/// <summary>
/// Every Redis call the engine makes, behind one small class (StackExchange.Redis 3.x). Connects
/// in the background and keeps retrying: Redis being down never fails or blocks the engine. The
/// connection string may name one server, the nodes of a Redis Cluster, or Sentinels with
/// <c>serviceName=</c> (the client follows the primary they elect); docs/redis.md shows each.
/// </summary>
internal sealed class RedisStore : IDisposable
{
    private readonly RedisConnection _connection;
    private readonly int _database;
    private readonly StrongBox<bool> _authenticationRefused;

    private RedisStore(RedisConnection connection, int database, StrongBox<bool> authenticationRefused)
    {
        _connection = connection;
        _database = database;
        _authenticationRefused = authenticationRefused;
    }

    public bool IsConnected => _connection.IsConnected;

    /// <summary>Whether the last connection attempt failed because the server refused the password (not because nothing answered).</summary>
    public bool AuthenticationRefused => Volatile.Read(ref _authenticationRefused.Value);

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
        var refused = new StrongBox<bool>();
        RedisConnection opened = RedisConnection.Open(connection, password, value => Volatile.Write(ref refused.Value, value));
        return new RedisStore(opened, database, refused);
    }

    /// <summary>A pipeline; call only while <see cref="IsConnected"/>.</summary>
    public Batch NewBatch() => new(_connection.Database(_database)!);

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

        public void Publish(string channel, string message) => _tasks.Add(_batch.PublishAsync(RedisChannel.Literal(channel), message));

        public void SetAdd(string key, string member) => _tasks.Add(_batch.SetAddAsync(key, member));

        /// <summary>GETDEL (Redis 6.2+): reads a key and deletes it in one step; the task gives the value or null.</summary>
        public Task<RedisValue> TakeString(string key)
        {
            Task<RedisValue> task = _batch.StringGetDeleteAsync(key);
            _tasks.Add(task);
            return task;
        }

        /// <summary>XADD with an approximate length cap.</summary>
        public void StreamAdd(string key, int maxLength, IReadOnlyList<(string Field, string Value)> fields)
        {
            var entries = new NameValueEntry[fields.Count];
            for (int i = 0; i < fields.Count; i++)
            {
                entries[i] = new NameValueEntry(fields[i].Field, fields[i].Value);
            }

            _tasks.Add(_batch.StreamAddAsync(key, entries, maxLength: maxLength, useApproximateMaxLength: true));
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
