using System.Runtime.InteropServices;

namespace ArbBot.Engine.Kernel;

/// <summary>
/// The kernel's inbox: a bounded ring many connector threads write and the kernel thread alone
/// reads (D. Vyukov's bounded queue, one consumer). A write is one compare-and-swap to claim a
/// slot and one atomic exchange to publish it; a read takes no lock at all. Nothing is allocated after
/// construction. The capacity is rounded up to a power of two.
/// </summary>
internal sealed class KernelQueue
{
    private readonly Slot[] _slots;
    private readonly long _mask;
    private Cursor _tail; // next slot to claim (writers)
    private Cursor _head; // next slot to read (the kernel thread)

    public KernelQueue(int capacity)
    {
        int size = (int)Math.Max(2, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, capacity)));
        _slots = new Slot[size];
        _mask = size - 1;
        for (int i = 0; i < size; i++)
        {
            _slots[i].Sequence = i;
        }
    }

    /// <summary>Slots in the ring.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Items waiting (exact on the kernel thread, a moment old elsewhere).</summary>
    public int Count => (int)Math.Clamp(Volatile.Read(ref _tail.Value) - Volatile.Read(ref _head.Value), 0, _slots.Length);

    /// <summary>
    /// Adds an item; false when the ring is full. The publishing store is a full fence, so a
    /// writer that checks afterwards whether the kernel is asleep never misses it going to sleep.
    /// </summary>
    public bool TryWrite(in KernelEvent item)
    {
        long tail = Volatile.Read(ref _tail.Value);
        while (true)
        {
            ref Slot slot = ref _slots[tail & _mask];
            long sequence = Volatile.Read(ref slot.Sequence);
            long lag = sequence - tail;
            if (lag == 0)
            {
                long seen = Interlocked.CompareExchange(ref _tail.Value, tail + 1, tail);
                if (seen == tail)
                {
                    slot.Item = item;
                    Interlocked.Exchange(ref slot.Sequence, tail + 1);
                    return true;
                }

                tail = seen; // another writer took it; try the next
            }
            else if (lag < 0)
            {
                return false; // the slot still holds an item the kernel has not read: full
            }
            else
            {
                tail = Volatile.Read(ref _tail.Value);
            }
        }
    }

    /// <summary>Takes the next item (kernel thread only); false when there is none yet.</summary>
    public bool TryRead(out KernelEvent item)
    {
        long head = _head.Value;
        ref Slot slot = ref _slots[head & _mask];
        if (Volatile.Read(ref slot.Sequence) != head + 1)
        {
            item = default;
            return false;
        }

        item = slot.Item;
        slot.Item = default; // drop the payload reference so the collector can have it
        Volatile.Write(ref slot.Sequence, head + _slots.Length);
        Volatile.Write(ref _head.Value, head + 1);
        return true;
    }

    /// <summary>Whether an item is ready to read (kernel thread).</summary>
    public bool HasItem => Volatile.Read(ref _slots[_head.Value & _mask].Sequence) == _head.Value + 1;

    private struct Slot
    {
        public long Sequence;
        public KernelEvent Item;
    }

    /// <summary>A counter alone on its cache line, so writers claiming slots and the reader do not slow each other.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Cursor
    {
        [FieldOffset(64)]
        public long Value;
    }
}
