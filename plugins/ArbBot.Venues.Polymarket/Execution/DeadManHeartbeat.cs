using System.Text.Json;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Polymarket.Http;

namespace ArbBot.Venues.Polymarket.Execution;

/// <summary>
/// Polymarket's dead-man switch: from the first order on, a heartbeat every interval
/// (<c>POST /v1/heartbeats</c> carrying the id the last one returned). If they stop, because the
/// engine died or lost the network, the venue cancels every open order of the account. While they
/// fail, new orders are refused here (fail closed: a quote placed then could outlive its engine
/// unguarded); cancels and queries go on. The next acknowledgement lets orders through again.
/// </summary>
internal sealed class DeadManHeartbeat : IAsyncDisposable
{
    private readonly ClobClient _client;
    private readonly VenueContext _context;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private Task? _run;
    private string _id = "";
    private volatile string? _failure = "no heartbeat has been acknowledged yet";
    private long _acknowledged;

    public DeadManHeartbeat(ClobClient client, VenueContext context, TimeSpan interval)
    {
        _client = client;
        _context = context;
        _interval = interval;
    }

    /// <summary>Why new orders must wait (the last heartbeat failed, or none was answered yet); null while heartbeats are acknowledged.</summary>
    public string? Failure => _failure;

    /// <summary>Heartbeats the venue acknowledged.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Completes when the first heartbeat has been answered, either way.</summary>
    public Task FirstAnswer => _firstAnswer.Task;

    /// <summary>Starts the heartbeats (once).</summary>
    public void Start()
    {
        lock (_gate)
        {
            _run ??= Task.Run(RunAsync);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Task? run;
        lock (_gate)
        {
            run = _run;
        }

        if (run is not null)
        {
            await run.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _id = await _client.HeartbeatAsync(_id, _stop.Token).ConfigureAwait(false);
                if (_failure is not null && Acknowledged > 0)
                {
                    _context.Log.Info("dead-man heartbeat acknowledged again: new orders go out again");
                }

                _failure = null;
                Interlocked.Increment(ref _acknowledged);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is ClobApiException or HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
            {
                if (_failure is null)
                {
                    _context.Log.Error($"dead-man heartbeat failed ({ex.Message}): no new orders until the venue acknowledges one again; if heartbeats stay away the venue cancels every open order");
                }

                _failure = ex.Message;
                _id = ""; // an expired or unknown session: the next heartbeat starts a fresh one
            }

            _firstAnswer.TrySetResult();
            try
            {
                await Task.Delay(_interval, _context.Clock, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
