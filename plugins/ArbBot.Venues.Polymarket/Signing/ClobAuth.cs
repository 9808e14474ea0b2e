using System.Globalization;

namespace ArbBot.Venues.Polymarket.Signing;

/// <summary>
/// Level-1 authentication: an EIP-712 <c>ClobAuth</c> signature by the account key, which creates or
/// derives the API credentials (<c>POST /auth/api-key</c>, <c>GET /auth/derive-api-key</c>).
/// docs/venues/PROTOCOLS.md 2.6.
/// </summary>
internal static class ClobAuth
{
    public const string Message = "This message attests that I control the given wallet";

    /// <summary>The signature (0x + 130 hex digits) the <c>POLY_SIGNATURE</c> header carries.</summary>
    public static string Sign(EthereumKey key, long chainId, long timestampSeconds, long nonce) =>
        EthereumKey.Hex(key.Sign(Digest(key.Address, chainId, timestampSeconds, nonce)));

    /// <summary>What is signed: ClobAuth(address address,string timestamp,uint256 nonce,string message) under domain ClobAuthDomain version 1.</summary>
    public static byte[] Digest(string address, long chainId, long timestampSeconds, long nonce)
    {
        var words = new Eip712.Words(5);
        words.TypeHash("ClobAuth(address address,string timestamp,uint256 nonce,string message)");
        words.Address(address);
        words.String(timestampSeconds.ToString(CultureInfo.InvariantCulture));
        words.Uint(nonce);
        words.String(Message);
        return Eip712.Digest(Eip712.Domain("ClobAuthDomain", "1", chainId, null), words.Hash());
    }

    /// <summary>The L1 headers for a call made at <paramref name="timestampSeconds"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers(EthereumKey key, long chainId, long timestampSeconds, long nonce) =>
    [
        new("POLY_ADDRESS", key.ChecksumAddress),
        new("POLY_SIGNATURE", Sign(key, chainId, timestampSeconds, nonce)),
        new("POLY_TIMESTAMP", timestampSeconds.ToString(CultureInfo.InvariantCulture)),
        new("POLY_NONCE", nonce.ToString(CultureInfo.InvariantCulture)),
    ];
}
