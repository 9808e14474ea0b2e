using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Math.EC;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace ArbBot.FakeVenues.Polymarket;

/// <summary>
/// The venue's side of Polymarket authentication, written apart from the plugin's code so that the
/// two check each other: the L2 HMAC over timestamp + method + path + body, and who signed an
/// EIP-712 message (CLOB V2 orders, ClobAuth), recovered from the 65-byte signature.
/// </summary>
public static class FakeClobSignatures
{
    private static readonly X9ECParameters s_curve = Org.BouncyCastle.Crypto.EC.CustomNamedCurves.GetByName("secp256k1");

    /// <summary>A fresh account for the fake: a random private key (hex) and its address.</summary>
    public static (string PrivateKeyHex, string Address) NewAccount()
    {
        while (true)
        {
            byte[] key = RandomNumberGenerator.GetBytes(32);
            var d = new Org.BouncyCastle.Math.BigInteger(1, key);
            if (d.SignValue > 0 && d.CompareTo(s_curve.N) < 0)
            {
                byte[] publicKey = s_curve.G.Multiply(d).Normalize().GetEncoded(false);
                return ("0x" + Convert.ToHexString(key).ToLowerInvariant(), "0x" + Convert.ToHexString(Keccak(publicKey[1..]), 12, 20).ToLowerInvariant());
            }
        }
    }

    /// <summary>A fresh account with random API credentials, and its private key (for a key file).</summary>
    public static (FakeClobAccount Account, string PrivateKeyHex) NewFakeAccount()
    {
        (string key, string address) = NewAccount();
        return (new FakeClobAccount(address, "fake-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant()), key);
    }

    public static string Hmac(string secret, string timestamp, string method, string path, string body)
    {
        byte[] key = Convert.FromBase64String(secret.Replace('-', '+').Replace('_', '/'));
        byte[] mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(timestamp + method + path + body));
        return Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Who signed an order (fields as the JSON body carries them) on an exchange, under a domain version ("2", or "3" for ExchangeV3), or null.</summary>
    public static string? OrderSigner(IReadOnlyDictionary<string, string> o, long chainId, string exchange, string domainVersion = "2")
    {
        byte[] structHash = Keccak(
            Keccak("Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)"u8.ToArray()),
            Uint(o["salt"]), Address(o["maker"]), Address(o["signer"]), Uint(o["tokenId"]), Uint(o["makerAmount"]), Uint(o["takerAmount"]),
            Uint(o["side"] == "BUY" ? "0" : "1"), Uint(o["signatureType"]), Uint(o["timestamp"]), Hex32(o["metadata"]), Hex32(o["builder"]));
        byte[] domain = Keccak(
            Keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"u8.ToArray()),
            Keccak("Polymarket CTF Exchange"u8.ToArray()), Keccak(Encoding.UTF8.GetBytes(domainVersion)), Uint(chainId.ToString(CultureInfo.InvariantCulture)), Address(exchange));
        return Recover(Keccak([0x19, 0x01], domain, structHash), o["signature"]);
    }

    /// <summary>Who signed a ClobAuth (L1) message, or null.</summary>
    public static string? ClobAuthSigner(string address, string timestamp, string nonce, long chainId, string signature)
    {
        byte[] structHash = Keccak(
            Keccak("ClobAuth(address address,string timestamp,uint256 nonce,string message)"u8.ToArray()),
            Address(address), Keccak(Encoding.UTF8.GetBytes(timestamp)), Uint(nonce), Keccak("This message attests that I control the given wallet"u8.ToArray()));
        byte[] domain = Keccak(
            Keccak("EIP712Domain(string name,string version,uint256 chainId)"u8.ToArray()),
            Keccak("ClobAuthDomain"u8.ToArray()), Keccak("1"u8.ToArray()), Uint(chainId.ToString(CultureInfo.InvariantCulture)));
        return Recover(Keccak([0x19, 0x01], domain, structHash), signature);
    }

    private static string? Recover(byte[] digest, string signatureHex)
    {
        string hex = signatureHex.StartsWith("0x", StringComparison.Ordinal) ? signatureHex[2..] : signatureHex;
        if (hex.Length != 130)
        {
            return null;
        }

        byte[] sig = Convert.FromHexString(hex);
        int v = sig[64] >= 27 ? sig[64] - 27 : sig[64];
        var r = new Org.BouncyCastle.Math.BigInteger(1, sig, 0, 32);
        var s = new Org.BouncyCastle.Math.BigInteger(1, sig, 32, 32);
        Org.BouncyCastle.Math.BigInteger n = s_curve.N;
        if (v is not (0 or 1) || r.SignValue <= 0 || s.SignValue <= 0 || r.CompareTo(n) >= 0 || s.CompareTo(n) >= 0)
        {
            return null;
        }

        ECPoint rPoint;
        try
        {
            rPoint = s_curve.Curve.DecodePoint([(byte)(0x02 + v), .. sig.AsSpan(0, 32)]);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var e = new Org.BouncyCastle.Math.BigInteger(1, digest);
        Org.BouncyCastle.Math.BigInteger rInv = r.ModInverse(n);
        ECPoint q = ECAlgorithms.SumOfTwoMultiplies(s_curve.G, e.Negate().Multiply(rInv).Mod(n), rPoint, s.Multiply(rInv).Mod(n)).Normalize();
        byte[] publicKey = q.GetEncoded(false);
        return "0x" + Convert.ToHexString(Keccak(publicKey[1..]), 12, 20).ToLowerInvariant();
    }

    /// <summary>
    /// Whether an address is acceptable as written: all lower or all upper case (no checksum), or
    /// mixed case that is its EIP-55 checksum (a wrong one is a typo the venue refuses).
    /// </summary>
    public static bool ChecksumHolds(string address)
    {
        string digits = address.StartsWith("0x", StringComparison.Ordinal) ? address[2..] : address;
        if (string.Equals(digits, digits.ToLowerInvariant(), StringComparison.Ordinal) || string.Equals(digits, digits.ToUpperInvariant(), StringComparison.Ordinal))
        {
            return true;
        }

        string lower = digits.ToLowerInvariant();
        byte[] hash = Keccak(System.Text.Encoding.ASCII.GetBytes(lower));
        for (int i = 0; i < lower.Length; i++)
        {
            int nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f;
            if (char.IsLetter(lower[i]) && (nibble >= 8) != char.IsUpper(digits[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Keccak(params byte[][] parts)
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

    private static byte[] Uint(string value)
    {
        byte[] bytes = BigInteger.Parse(value, CultureInfo.InvariantCulture).ToByteArray(isUnsigned: true, isBigEndian: true);
        var word = new byte[32];
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }

    private static byte[] Address(string hex)
    {
        var word = new byte[32];
        Convert.FromHexString(hex[2..]).CopyTo(word, 12);
        return word;
    }

    private static byte[] Hex32(string hex) => Convert.FromHexString(hex[2..]);
}
