using Org.BouncyCastle.Crypto.Digests;

namespace ArbBot.Venues.Polymarket.Signing;

/// <summary>Ethereum's Keccak-256 (the original Keccak padding, not NIST SHA3-256).</summary>
internal static class Keccak256
{
    /// <summary>The 32-byte hash of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        var hash = new byte[32];
        Update(digest, data);
        digest.DoFinal(hash, 0);
        return hash;
    }

    /// <summary>The hash of several parts one after another, without joining them first.</summary>
    public static byte[] Hash(params byte[][] parts)
    {
        var digest = new KeccakDigest(256);
        foreach (byte[] part in parts)
        {
            digest.BlockUpdate(part, 0, part.Length);
        }

        var hash = new byte[32];
        digest.DoFinal(hash, 0);
        return hash;
    }

    private static void Update(KeccakDigest digest, ReadOnlySpan<byte> data) => digest.BlockUpdate(data); // BouncyCastle 2 takes spans: no copy
}
