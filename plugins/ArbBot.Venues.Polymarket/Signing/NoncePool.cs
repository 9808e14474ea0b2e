using System.Collections.Concurrent;

namespace ArbBot.Venues.Polymarket.Signing;

/// <summary>
/// Signing nonces computed ahead on a background thread, so that signing an order costs the
/// hashing and a few modular operations instead of a curve multiplication (about 125 us here).
/// Each nonce is handed out once (dequeued); an empty pool computes one on the spot.
/// </summary>
internal sealed class NoncePool
{
    private readonly ConcurrentQueue<PreparedNonce> _ready = new();
    private readonly int _capacity;
    private int _refilling;

    /// <summary>Creates the pool and starts filling it.</summary>
    public NoncePool(int capacity = 64)
    {
        _capacity = capacity;
        StartRefill();
    }

    /// <summary>Nonces ready now.</summary>
    public int Ready => _ready.Count;

    /// <summary>Blocks until the pool is full (start-up and benchmarks).</summary>
    public void Fill()
    {
        while (_ready.Count < _capacity)
        {
            _ready.Enqueue(EthereumKey.PrepareNonce());
        }
    }

    /// <summary>A nonce nobody else gets.</summary>
    public PreparedNonce Take()
    {
        PreparedNonce nonce = _ready.TryDequeue(out PreparedNonce? ready) ? ready : EthereumKey.PrepareNonce();
        if (_ready.Count < _capacity / 2)
        {
            StartRefill();
        }

        return nonce;
    }

    private void StartRefill()
    {
        if (Interlocked.Exchange(ref _refilling, 1) == 1)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            try
            {
                while (_ready.Count < _capacity)
                {
                    _ready.Enqueue(EthereumKey.PrepareNonce());
                }
            }
            finally
            {
                Volatile.Write(ref _refilling, 0);
            }
        }, null);
    }
}
