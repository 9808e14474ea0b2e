using System.Text;
using ArbBot.Engine.Storage.Recording;

namespace ArbBot.Tests.Replay;

/// <summary>
/// Market ids looked up by their recorded UTF-8 bytes find exactly what a lookup of the decoded
/// string finds (the reference: strict decoding, then an ordinal dictionary), for ASCII and
/// non-ASCII ids, near misses and bytes that are not UTF-8.
/// </summary>
public sealed class Utf8IdComparerTests
{
    private static readonly string[] Pieces = ["KX", "-", "E", "0", "1", "é", "€", "日本", "😀", "A", "z", "ß"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_lookup_by_bytes_agrees_with_decoding_and_an_ordinal_dictionary(int seed)
    {
        var random = new Random(seed);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (keys.Count < 300)
        {
            keys.Add(RandomId(random, 1 + random.Next(12)));
        }

        var reference = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);
        var byBytes = new Dictionary<string, int>(reference, Utf8IdComparer.Instance).GetAlternateLookup<ReadOnlySpan<byte>>();
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        int found = 0, invalid = 0;
        for (int n = 0; n < 20_000; n++)
        {
            byte[] bytes = n % 3 == 0 ? Encoding.UTF8.GetBytes(keys.ElementAt(random.Next(keys.Count))) : Encoding.UTF8.GetBytes(RandomId(random, 1 + random.Next(12)));
            if (n % 5 == 0 && bytes.Length > 0)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8)); // a flipped bit: often no longer UTF-8
            }

            int? expected;
            try
            {
                expected = reference.TryGetValue(strict.GetString(bytes), out int value) ? value : null;
            }
            catch (DecoderFallbackException)
            {
                expected = null;
                invalid++;
            }

            int? actual = byBytes.TryGetValue(bytes, out int got) ? got : null;
            Assert.True(expected == actual, $"{Convert.ToHexString(bytes)}: expected {expected}, got {actual}");
            found += actual is null ? 0 : 1;
        }

        Assert.True(found > 5_000 && invalid > 100, $"found {found}, invalid {invalid}: the inputs did not cover both cases");
    }

    [Fact]
    public void A_key_hashes_as_its_utf8_bytes_and_long_keys_work_as_well()
    {
        string longId = string.Concat(Enumerable.Repeat("日本-😀-", 80));
        foreach (string id in (string[])["SIMK-E01", "é", longId, ""])
        {
            Assert.Equal(Utf8IdComparer.Instance.GetHashCode(id), Utf8IdComparer.Instance.GetHashCode(Encoding.UTF8.GetBytes(id)));
            Assert.True(Utf8IdComparer.Instance.Equals(Encoding.UTF8.GetBytes(id), id));
        }

        Assert.False(Utf8IdComparer.Instance.Equals(Encoding.UTF8.GetBytes(longId + "x"), longId));
        Assert.False(Utf8IdComparer.Instance.Equals([0xC3], "é"));
    }

    private static string RandomId(Random random, int pieces) =>
        string.Concat(Enumerable.Range(0, pieces).Select(_ => Pieces[random.Next(Pieces.Length)]));
}
