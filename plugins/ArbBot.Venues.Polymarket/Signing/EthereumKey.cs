using System.Globalization;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace ArbBot.Venues.Polymarket.Signing;

/// <summary>
/// A secp256k1 account key: its Ethereum address, and 65-byte recoverable signatures (r, s, v with
/// v = 27 + recovery id) over 32-byte digests, deterministic (RFC 6979, HMAC-SHA256) with low s as
/// Ethereum requires. The key is held in memory only; <see cref="ToString"/> shows the address, never the key.
/// </summary>
internal sealed class EthereumKey
{
    // The custom curve (fixed-width field arithmetic, GLV endomorphism), not the generic BigInteger one: about 10x faster.
    private static readonly X9ECParameters s_curve = Org.BouncyCastle.Crypto.EC.CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters s_domain = new(s_curve.Curve, s_curve.G, s_curve.N, s_curve.H);
    private static readonly BigInteger s_halfN = s_curve.N.ShiftRight(1);
    private static readonly FixedPointCombMultiplier s_multiplier = new();
    private readonly BigInteger _d;

    private EthereumKey(BigInteger d)
    {
        _d = d;
        ECPoint q = s_multiplier.Multiply(s_domain.G, d).Normalize();
        Address = AddressOf(q);
        ChecksumAddress = Eip55.Checksum(Address);
    }

    /// <summary>The account address, "0x" and 40 lower-case hex digits.</summary>
    public string Address { get; }

    /// <summary>The address in EIP-55 checksummed form, as sent to the venue.</summary>
    public string ChecksumAddress { get; }

    /// <summary>A key from 64 hex digits (with or without 0x). Throws <see cref="FormatException"/> naming what is wrong, never the key.</summary>
    public static EthereumKey FromHex(string hex)
    {
        string digits = hex.Trim().StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.Trim()[2..] : hex.Trim();
        if (digits.Length != 64 || !digits.All(Uri.IsHexDigit))
        {
            throw new FormatException($"a private key must be 64 hex digits (32 bytes), optionally after 0x; this one has {digits.Length} characters");
        }

        var d = new BigInteger(digits, 16);
        if (d.SignValue <= 0 || d.CompareTo(s_curve.N) >= 0)
        {
            throw new FormatException("the private key is not a valid secp256k1 scalar (zero, or not below the curve order)");
        }

        return new EthereumKey(d);
    }

    /// <summary>Signs a 32-byte digest: r (32) || s (32) || v (1, 27 or 28).</summary>
    public byte[] Sign(byte[] digest)
    {
        var e = new BigInteger(1, digest);
        var k = new HMacDsaKCalculator(new Sha256Digest());
        k.Init(s_curve.N, _d, digest);
        while (true)
        {
            BigInteger nonce = k.NextK();
            ECPoint point = s_multiplier.Multiply(s_domain.G, nonce).Normalize();
            BigInteger r = point.AffineXCoord.ToBigInteger().Mod(s_curve.N);
            if (r.SignValue == 0)
            {
                continue;
            }

            BigInteger s = nonce.ModInverse(s_curve.N).Multiply(e.Add(_d.Multiply(r))).Mod(s_curve.N);
            if (s.SignValue == 0)
            {
                continue;
            }

            // The recovery id is the parity of R's y (R.x >= n has probability ~2^-128 and is not produced here).
            int recovery = point.AffineYCoord.TestBitZero() ? 1 : 0;
            if (s.CompareTo(s_halfN) > 0)
            {
                s = s_curve.N.Subtract(s); // low s: the signature of -R
                recovery ^= 1;
            }

            var signature = new byte[65];
            Fixed32(r).CopyTo(signature, 0);
            Fixed32(s).CopyTo(signature, 32);
            signature[64] = (byte)(27 + recovery);
            return signature;
        }
    }

    /// <summary>
    /// A fresh random nonce with its point already computed (k G, the slow part of signing), for
    /// <see cref="Sign(byte[], PreparedNonce)"/>. Uniform in [1, n-1] from the system's CSPRNG.
    /// </summary>
    public static PreparedNonce PrepareNonce()
    {
        Span<byte> bytes = stackalloc byte[32];
        while (true)
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
            var k = new BigInteger(1, bytes.ToArray());
            if (k.SignValue == 0 || k.CompareTo(s_curve.N) >= 0)
            {
                continue; // rejection sampling: no bias toward small values
            }

            ECPoint point = s_multiplier.Multiply(s_domain.G, k).Normalize();
            BigInteger r = point.AffineXCoord.ToBigInteger().Mod(s_curve.N);
            if (r.SignValue != 0)
            {
                return new PreparedNonce(k.ModInverse(s_curve.N), r, point.AffineYCoord.TestBitZero() ? 1 : 0);
            }
        }
    }

    /// <summary>
    /// Signs with a nonce prepared ahead (random, used once: the caller takes each from a pool that
    /// never hands one out twice). The signature is as valid as <see cref="Sign(byte[])"/>'s, not deterministic.
    /// </summary>
    public byte[] Sign(byte[] digest, PreparedNonce nonce)
    {
        var e = new BigInteger(1, digest);
        BigInteger s = nonce.KInverse.Multiply(e.Add(_d.Multiply(nonce.R))).Mod(s_curve.N);
        if (s.SignValue == 0)
        {
            return Sign(digest); // probability ~2^-256; the deterministic path never fails
        }

        int recovery = nonce.Parity;
        if (s.CompareTo(s_halfN) > 0)
        {
            s = s_curve.N.Subtract(s);
            recovery ^= 1;
        }

        var signature = new byte[65];
        Fixed32(nonce.R).CopyTo(signature, 0);
        Fixed32(s).CopyTo(signature, 32);
        signature[64] = (byte)(27 + recovery);
        return signature;
    }

    /// <summary>The address whose key made <paramref name="signature"/> over <paramref name="digest"/>, or null when it is not a valid signature.</summary>
    public static string? Recover(byte[] digest, byte[] signature)
    {
        if (signature.Length != 65 || signature[64] is not (27 or 28 or 0 or 1))
        {
            return null;
        }

        int recovery = signature[64] >= 27 ? signature[64] - 27 : signature[64];
        var r = new BigInteger(1, signature, 0, 32);
        var s = new BigInteger(1, signature, 32, 32);
        if (r.SignValue == 0 || s.SignValue == 0 || r.CompareTo(s_curve.N) >= 0 || s.CompareTo(s_curve.N) >= 0)
        {
            return null;
        }

        // R from r and the parity of its y; then Q = r^-1 (s R - e G).
        byte[] compressed = new byte[33];
        compressed[0] = (byte)(recovery == 1 ? 0x03 : 0x02);
        Fixed32(r).CopyTo(compressed, 1);
        ECPoint point;
        try
        {
            point = s_curve.Curve.DecodePoint(compressed);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var e = new BigInteger(1, digest);
        BigInteger rInverse = r.ModInverse(s_curve.N);
        ECPoint q = ECAlgorithms.SumOfTwoMultiplies(s_domain.G, e.Negate().Mod(s_curve.N).Multiply(rInverse).Mod(s_curve.N), point, s.Multiply(rInverse).Mod(s_curve.N)).Normalize();
        return q.IsInfinity ? null : AddressOf(q);
    }

    /// <inheritdoc/>
    public override string ToString() => Address;

    private static string AddressOf(ECPoint q)
    {
        byte[] uncompressed = q.GetEncoded(false); // 0x04 || x || y
        byte[] hash = Keccak256.Hash(uncompressed.AsSpan(1));
        return "0x" + Convert.ToHexString(hash, 12, 20).ToLowerInvariant();
    }

    private static byte[] Fixed32(BigInteger value)
    {
        byte[] bytes = value.ToByteArrayUnsigned();
        if (bytes.Length == 32)
        {
            return bytes;
        }

        var padded = new byte[32];
        bytes.CopyTo(padded, 32 - bytes.Length);
        return padded;
    }

    internal static string Hex(byte[] bytes) => "0x" + Convert.ToHexString(bytes).ToLower(CultureInfo.InvariantCulture);
}

/// <summary>A signing nonce made ahead: k^-1 mod n, r = (k G).x mod n, and the parity of (k G).y. Secret: never logged or reused.</summary>
internal sealed class PreparedNonce(BigInteger kInverse, BigInteger r, int parity)
{
    public BigInteger KInverse { get; } = kInverse;

    public BigInteger R { get; } = r;

    public int Parity { get; } = parity;
}
