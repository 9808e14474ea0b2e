using StackExchange.Redis;

namespace ArbBot.Engine.Mirror;

/// <summary>
/// One connection to a Redis deployment, named by a StackExchange.Redis connection string: one
/// server (<c>host:port</c>), the nodes of a Redis Cluster (<c>host:p1,host:p2,host:p3</c>; the
/// client finds the slots and follows redirections), or Sentinels and the service they watch
/// (<c>host:26379,serviceName=arbbot</c>; the client asks them for the primary and follows each
/// failover). It never throws for a deployment that does not answer: a server or a Cluster is
/// retried by the client; Sentinels that do not answer at the start are asked again every second.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly ConfigurationOptions _options;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Action<bool>? _authentication;
    private ConnectionMultiplexer? _multiplexer;

    private RedisConnection(ConfigurationOptions options, Action<bool>? authentication)
    {
        _options = options;
        _authentication = authentication;
    }

    /// <summary>Whether a server answers now.</summary>
    public bool IsConnected => Volatile.Read(ref _multiplexer)?.IsConnected == true;

    /// <summary>Starts connecting; does not wait for a server to answer.</summary>
    /// <param name="connection">The connection string (<c>redis.connection</c>).</param>
    /// <param name="password">The password (from <c>redis.password_env</c>), or null.</param>
    /// <param name="authentication">Told, on the client's thread, when a server refuses the password (true) or accepts it again (false).</param>
    /// <param name="timeoutMs">How long one command or one connect attempt may take.</param>
    public static RedisConnection Open(string connection, string? password, Action<bool>? authentication = null, int timeoutMs = 2_000)
    {
        ConfigurationOptions options = ConfigurationOptions.Parse(connection);
        options.AbortOnConnectFail = false; // keep retrying in the background instead of throwing
        options.ConnectTimeout = timeoutMs;
        options.SyncTimeout = timeoutMs;
        options.AsyncTimeout = timeoutMs;
        options.ConnectRetry = 1;
        options.KeepAlive = 5;
        if (password is not null)
        {
            options.Password = password;
        }

        var opened = new RedisConnection(options, authentication);
        if (!opened.TryConnect())
        {
            _ = opened.RetryAsync();
        }

        return opened;
    }

    /// <summary>The database to send commands to; only while <see cref="IsConnected"/> (or to queue them until it is).</summary>
    public IDatabase? Database(int database) => Volatile.Read(ref _multiplexer)?.GetDatabase(database);

    /// <summary>Waits until a server answers, up to <paramref name="timeout"/>; false if none does.</summary>
    public async Task<bool> WaitConnectedAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!IsConnected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        return IsConnected;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed.Cancel();
        Volatile.Read(ref _multiplexer)?.Dispose();
        _disposed.Dispose();
    }

    private bool TryConnect()
    {
        // The first attempt's failures are only told to the connect log (events are subscribed after it returns).
        var log = new AuthenticationWatch();
        try
        {
            ConnectionMultiplexer multiplexer = ConnectionMultiplexer.Connect(_options, log);
            multiplexer.ConnectionFailed += (_, e) => _authentication?.Invoke(
                e.FailureType == ConnectionFailureType.AuthenticationFailure || IsAuthenticationError(e.Exception?.ToString()));
            multiplexer.ErrorMessage += (_, e) =>
            {
                if (IsAuthenticationError(e.Message))
                {
                    _authentication?.Invoke(true);
                }
            };
            multiplexer.ConnectionRestored += (_, _) => _authentication?.Invoke(false);
            Volatile.Write(ref _multiplexer, multiplexer);
            return true;
        }
        catch (RedisConnectionException)
        {
            // Only Sentinels fail here (none answered to name the primary).
            return false;
        }
        finally
        {
            _authentication?.Invoke(log.Refused);
        }
    }

    private async Task RetryAsync()
    {
        CancellationToken disposed = _disposed.Token;
        while (!disposed.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), disposed).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (TryConnect())
            {
                if (disposed.IsCancellationRequested)
                {
                    Volatile.Read(ref _multiplexer)?.Dispose();
                }

                return;
            }
        }
    }

    /// <summary>Whether a client message says the server refused the password.</summary>
    internal static bool IsAuthenticationError(string? text) =>
        text is not null && (text.Contains("WRONGPASS", StringComparison.Ordinal) || text.Contains("NOAUTH", StringComparison.Ordinal)
            || text.Contains("invalid password", StringComparison.OrdinalIgnoreCase) || text.Contains("AuthenticationFailure", StringComparison.Ordinal));

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
}
