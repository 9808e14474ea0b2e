using ArbBot.Abstractions.Account;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Risk;
using ArbBot.Engine.Storage;
using ArbBot.Engine.Strategies;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Hosting;

/// <summary>
/// The last line of defence when the kernel thread is stuck (a call into the base library that
/// never returns, which no budget check can interrupt): a healthy kernel handles its own timer
/// several times a second, so one that has handled nothing for <c>engine.stuck_after</c> is stuck.
/// From its own thread the watchdog then engages the kill switch (in the state database, so the
/// restarted engine stays halted until an operator clears it), cancels every order of the engine
/// that live venues still rest (through their accounts), lets the fill log write what it holds,
/// and reports it so the process can exit non-zero and its supervisor restart it.
/// </summary>
public sealed class KernelWatchdog : IAsyncDisposable
{
    private readonly EngineKernel _kernel;
    private readonly IReadOnlyList<VenueRuntime> _venues;
    private readonly Func<IReadOnlySet<string>> _marketsOfVenue;
    private readonly string _statePath;
    private readonly Func<TimeSpan, Task> _flush;
    private readonly TimeSpan _stuckAfter;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>Creates the watchdog; <paramref name="marketsOfVenue"/> gives "venue\nmarket" keys of the configured markets.</summary>
    public KernelWatchdog(EngineKernel kernel, IReadOnlyList<VenueRuntime> venues, Func<IReadOnlySet<string>> marketsOfVenue, string statePath, Func<TimeSpan, Task> flush, TimeSpan stuckAfter, ILogger logger)
    {
        _kernel = kernel;
        _venues = venues;
        _marketsOfVenue = marketsOfVenue;
        _statePath = statePath;
        _flush = flush;
        _stuckAfter = stuckAfter;
        _logger = logger;
    }

    /// <summary>Raised (on the watchdog's thread) once the kernel was found stuck and everything above was done; the argument says why.</summary>
    public event Action<string>? Stuck;

    /// <summary>Starts watching.</summary>
    public void Start() => _loop = Task.Run(WatchAsync);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    private async Task WatchAsync()
    {
        long seen = _kernel.EventsProcessed;
        DateTime progressAt = DateTime.UtcNow;
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(_stuckAfter.TotalMilliseconds / 10, 50, 1000));
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(poll, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            long now = _kernel.EventsProcessed;
            if (now != seen)
            {
                seen = now;
                progressAt = DateTime.UtcNow;
                continue;
            }

            TimeSpan still = DateTime.UtcNow - progressAt;
            if (still >= _stuckAfter)
            {
                await TripAsync(still).ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task TripAsync(TimeSpan still)
    {
        string why = $"the kernel thread has handled nothing for {still.TotalSeconds:0.#} s (engine.stuck_after {_stuckAfter.TotalSeconds:0.#} s): a call that never returns";
        _logger.LogCritical("{Why}; engaging the kill switch, cancelling resting orders at the venues and stopping", why);
        try
        {
            KillSwitchStore.Write(_statePath, new KillState(false, why, "watchdog", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }
        catch (Exception ex)
        {
            _logger.LogError("watchdog: the kill switch could not be written to {Path}: {Message}", _statePath, ex.Message);
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        IReadOnlySet<string> ours = _marketsOfVenue();
        foreach (VenueRuntime venue in _venues)
        {
            if (venue.Executor is not IVenueAccount account)
            {
                continue;
            }

            try
            {
                int cancelled = 0;
                foreach (VenueOrder order in await account.OpenOrdersAsync(deadline.Token).ConfigureAwait(false))
                {
                    bool engines = order.ClientOrderId is { } id ? ClientOrderIds.TryParse(id, out _, out _) : ours.Contains(venue.Name + "\n" + order.MarketId);
                    if (engines)
                    {
                        await account.CancelUnknownAsync(order, deadline.Token).ConfigureAwait(false);
                        cancelled++;
                    }
                }

                _logger.LogCritical("watchdog: {Venue}: {Count} resting orders cancelled", venue.Name, cancelled);
            }
            catch (Exception ex)
            {
                _logger.LogError("watchdog: {Venue}: resting orders could not all be cancelled: {Message}", venue.Name, ex.Message);
            }
        }

        await _flush(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        Stuck?.Invoke(why);
    }
}
