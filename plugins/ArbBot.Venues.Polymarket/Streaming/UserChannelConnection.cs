using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Polymarket.Config;
using ArbBot.Venues.Polymarket.Signing;

using ArbBot.Venues.Toolkit.Reconnect;

namespace ArbBot.Venues.Polymarket.Streaming;

/// <summary>
/// The user channel: one authenticated WebSocket carrying the account's <c>order</c> and
/// <c>trade</c> events (docs/venues/PROTOCOLS.md 2.6), handed to the executor as parsed JSON. Pings every
/// 10 s; on a failure waits (backoff with jitter), connects again, and tells the executor so it
/// can reconcile what it may have missed.
/// </summary>
internal sealed class UserChannelConnection(PolymarketTradingSettings settings, VenueContext context, Func<CancellationToken, Task<ApiCredentials>> credentials,
    Action<JsonElement> onEvent, Func<Task> onReconnected, Func<IReadOnlyList<string>> markets) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly TaskCompletionSource _firstConnect = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? _socket;
    private Task? _run;

    /// <summary>Starts connecting; the task completes once connected (or when stopped).</summary>
    public Task StartAsync()
    {
        _run ??= Task.Run(RunAsync);
        return _firstConnect.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket?.Abort();
        if (_run is not null)
        {
            await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _firstConnect.TrySetResult();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        int failures = 0;
        bool connectedBefore = false;
        var backoff = new ReconnectBackoff(250, 10_000);
        while (!_stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            _socket = socket;
            try
            {
                ApiCredentials creds = await credentials(_stop.Token).ConfigureAwait(false);
                await socket.ConnectAsync(settings.UserChannelUrl, _stop.Token).ConfigureAwait(false);
                await SendAsync(creds.UserChannelSubscription(markets())).ConfigureAwait(false);
                failures = 0;
                _firstConnect.TrySetResult();
                if (connectedBefore)
                {
                    await onReconnected().ConfigureAwait(false);
                }

                connectedBefore = true;
                await SocketLoop.ServeAsync(socket, TimeSpan.FromSeconds(10), SendAsync, Dispatch, ": check the API credentials", _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or InvalidOperationException or HttpRequestException or OperationCanceledException or Http.ClobApiException)
            {
                failures++;
                if (FailureLog.ShouldTell(failures))
                {
                    context.Log.Warn($"user channel {settings.UserChannelUrl.Host} failed or dropped: {ex.Message}; fills are reconciled over REST when it is back");
                }
            }

            await backoff.WaitAsync(failures, _stop.Token).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(string text)
    {
        ClientWebSocket? socket = _socket;
        if (socket is null || socket.State != WebSocketState.Open)
        {
            return;
        }

        await _sendGate.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private void Dispatch(ReadOnlySpan<byte> frame)
    {
        if (frame.SequenceEqual("PONG"u8))
        {
            return;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(frame.ToArray());
            if (doc.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in doc.RootElement.EnumerateArray())
                {
                    onEvent(item);
                }
            }
            else
            {
                onEvent(doc.RootElement);
            }
        }
        catch (JsonException ex)
        {
            context.Log.Warn($"user channel: skipped a frame that is not JSON ({ex.Message})");
        }
    }
}
