using System.Diagnostics.CodeAnalysis;
using System.IO.Hashing;
using System.Text;

namespace ArbBot.Venues.Toolkit.Parsing;

/// <summary>
/// Values found by a key given as the UTF-8 bytes of a message (a ticker, a 77-digit token id),
/// without decoding them into a string: the hot path of a parser looks up the bytes it points at.
/// Open addressing over XxHash3 hashes; the keys are compared byte for byte. Not thread-safe: a
/// parser owns one, and changes it under the same lock it parses under.
/// </summary>
/// <typeparam name="TValue">What a key maps to (a market handle, a handle and an outcome).</typeparam>
public sealed class Utf8KeyMap<TValue>
{
    private Slot[] _slots = new Slot[16];
    private int _count;

    private struct Slot
    {
        public byte[]? Key;
        public ulong Hash;
        public TValue Value;
    }

    /// <summary>How many keys are mapped.</summary>
    public int Count => _count;

    /// <summary>Maps a key (replacing its value if it is mapped already).</summary>
    public void Set(string key, TValue value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(key);
        if ((_count + 1) * 2 > _slots.Length)
        {
            Grow(_slots.Length * 2);
        }

        ulong hash = XxHash3.HashToUInt64(bytes);
        int index = Find(_slots, bytes, hash);
        if (_slots[index].Key is null)
        {
            _count++;
        }

        _slots[index] = new Slot { Key = bytes, Hash = hash, Value = value };
    }

    /// <summary>Unmaps a key; false if it was not mapped.</summary>
    public bool Remove(string key)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(key);
        int index = Find(_slots, bytes, XxHash3.HashToUInt64(bytes));
        if (_slots[index].Key is null)
        {
            return false;
        }

        // Rare (a pairs-file change): the table is rebuilt without the key, so lookups never meet a gap in a probe chain.
        _slots[index] = default;
        _count--;
        Grow(_slots.Length);
        return true;
    }

    /// <summary>The value mapped to these UTF-8 bytes.</summary>
    public bool TryGetValue(ReadOnlySpan<byte> key, [MaybeNullWhen(false)] out TValue value)
    {
        Slot[] slots = _slots;
        ulong hash = XxHash3.HashToUInt64(key);
        int mask = slots.Length - 1;
        for (int i = (int)hash & mask; ; i = (i + 1) & mask)
        {
            ref Slot slot = ref slots[i];
            if (slot.Key is null)
            {
                value = default;
                return false;
            }

            if (slot.Hash == hash && key.SequenceEqual(slot.Key))
            {
                value = slot.Value;
                return true;
            }
        }
    }

    /// <summary>Every mapped key, as text, with its value.</summary>
    public IEnumerable<KeyValuePair<string, TValue>> Entries =>
        _slots.Where(s => s.Key is not null).Select(s => new KeyValuePair<string, TValue>(Encoding.UTF8.GetString(s.Key!), s.Value)).ToArray();

    private static int Find(Slot[] slots, byte[] key, ulong hash)
    {
        int mask = slots.Length - 1;
        int i = (int)hash & mask;
        while (slots[i].Key is { } existing && (slots[i].Hash != hash || !existing.AsSpan().SequenceEqual(key)))
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    private void Grow(int size)
    {
        Slot[] old = _slots;
        _slots = new Slot[size];
        foreach (Slot slot in old)
        {
            if (slot.Key is not null)
            {
                _slots[Find(_slots, slot.Key, slot.Hash)] = slot;
            }
        }
    }
}
