using System.Globalization;
using System.Numerics;
using System.Text;

namespace ArbBot.Venues.Polymarket.Signing;

/// <summary>
/// EIP-712 typed-data hashing: a struct is hashed as keccak(typeHash || each field as one 32-byte
/// word), and what is signed is keccak(0x19 0x01 || domain separator || struct hash). Only the
/// field types Polymarket's structs use: uint256, uint8, address, string, bytes32.
/// </summary>
internal static class Eip712
{
    /// <summary>The digest to sign for a struct hash under a domain separator.</summary>
    public static byte[] Digest(byte[] domainSeparator, byte[] structHash) =>
        Keccak256.Hash([0x19, 0x01], domainSeparator, structHash);

    /// <summary>The domain separator of a domain with name, version, chain id and, when given, the verifying contract.</summary>
    public static byte[] Domain(string name, string version, long chainId, string? verifyingContract)
    {
        var words = new Words(verifyingContract is null ? 4 : 5);
        words.TypeHash(verifyingContract is null
            ? "EIP712Domain(string name,string version,uint256 chainId)"
            : "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
        words.String(name);
        words.String(version);
        words.Uint(chainId);
        if (verifyingContract is not null)
        {
            words.Address(verifyingContract);
        }

        return words.Hash();
    }

    /// <summary>A struct's 32-byte words, written in field order, then hashed.</summary>
    internal sealed class Words(int count)
    {
        private readonly byte[] _buffer = new byte[32 * count];
        private int _next;

        public void TypeHash(string type) => Put(Keccak256.Hash(Encoding.UTF8.GetBytes(type)));

        public void String(string value) => Put(Keccak256.Hash(Encoding.UTF8.GetBytes(value)));

        public void Uint(long value)
        {
            Span<byte> word = Next();
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(word[24..], value);
        }

        /// <summary>A uint256 written in decimal (token ids run to 77 digits).</summary>
        public void Uint(string decimalDigits)
        {
            if (!BigInteger.TryParse(decimalDigits, NumberStyles.None, CultureInfo.InvariantCulture, out BigInteger value) || value.GetByteCount(isUnsigned: true) > 32)
            {
                throw new FormatException($"not a uint256 in decimal: \"{decimalDigits}\"");
            }

            Span<byte> word = Next();
            value.TryWriteBytes(word[(32 - value.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
        }

        public void Address(string hex) => Hex(hex, 20);

        public void Bytes32(string hex) => Hex(hex, 32);

        public byte[] Hash() => _next == _buffer.Length ? Keccak256.Hash(_buffer) : throw new InvalidOperationException($"{_next / 32} of {_buffer.Length / 32} words written");

        private void Hex(string hex, int length)
        {
            string digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
            if (digits.Length != length * 2)
            {
                throw new FormatException($"expected {length} bytes of hex, was \"{hex}\"");
            }

            Convert.FromHexString(digits).CopyTo(Next()[(32 - length)..]);
        }

        private void Put(byte[] word) => word.CopyTo(Next());

        private Span<byte> Next()
        {
            Span<byte> word = _buffer.AsSpan(_next, 32);
            _next += 32;
            return word;
        }
    }
}
