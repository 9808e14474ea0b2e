using System.Text;

namespace ArbBot.Venues.Polymarket.Signing;

/// <summary>
/// EIP-55 mixed-case checksummed addresses, the form the official clients send (<c>maker</c>,
/// <c>signer</c>, <c>POLY_ADDRESS</c>): a hex letter is upper case where the Keccak-256 of the
/// lower-case address has a nibble of 8 or more at the same place.
/// </summary>
internal static class Eip55
{
    /// <summary>The checksummed form of a 0x-prefixed 20-byte hex address, in any case.</summary>
    public static string Checksum(string address)
    {
        if (address.Length != 42 || !address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !address[2..].All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"not an address (0x and 40 hex digits): \"{address}\"", nameof(address));
        }

        string lower = address[2..].ToLowerInvariant();
        byte[] hash = Keccak256.Hash(Encoding.ASCII.GetBytes(lower));
        var result = new StringBuilder("0x", 42);
        for (int i = 0; i < 40; i++)
        {
            int nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f;
            result.Append(nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i]);
        }

        return result.ToString();
    }
}
