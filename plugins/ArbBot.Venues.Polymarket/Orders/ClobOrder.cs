using System.Globalization;
using System.Text;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Polymarket.Signing;

namespace ArbBot.Venues.Polymarket.Orders;

/// <summary>How the order's maker is controlled (the <c>signatureType</c> field).</summary>
internal enum SignatureType
{
    /// <summary>The signer's own address holds the funds.</summary>
    Eoa = 0,

    /// <summary>A Polymarket proxy wallet (email or Magic login) holds them.</summary>
    PolyProxy = 1,

    /// <summary>A Gnosis Safe (browser wallet login) holds them.</summary>
    PolyGnosisSafe = 2,

    /// <summary>A smart-contract wallet (EIP-1271).</summary>
    Poly1271 = 3,
}

/// <summary>
/// A CLOB V2 order: the 11 signed fields of
/// <c>Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)</c>
/// (docs/venues/PROTOCOLS.md 2.5), and its signature once signed.
/// </summary>
internal sealed record ClobOrder(
    long Salt,
    string Maker,
    string Signer,
    string TokenId,
    long MakerAmount,
    long TakerAmount,
    OrderSide Side,
    SignatureType SignatureType,
    long TimestampMs,
    string Metadata,
    string Builder)
{
    public const string TypeString = "Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)";
    public const string Zero32 = "0x0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>"0x" and 130 hex digits once signed.</summary>
    public string Signature { get; init; } = "";

    /// <summary>The EIP-712 struct hash.</summary>
    public byte[] StructHash()
    {
        var words = new Eip712.Words(12);
        words.TypeHash(TypeString);
        words.Uint(Salt);
        words.Address(Maker);
        words.Address(Signer);
        words.Uint(TokenId);
        words.Uint(MakerAmount);
        words.Uint(TakerAmount);
        words.Uint(Side == OrderSide.Buy ? 0 : 1);
        words.Uint((long)SignatureType);
        words.Uint(TimestampMs);
        words.Bytes32(Metadata);
        words.Bytes32(Builder);
        return words.Hash();
    }

    /// <summary>The <c>POST /order</c> body, compact JSON as the L2 signature covers it byte for byte.</summary>
    public string ToJson(string owner, string orderType, bool postOnly, long expirationSeconds)
    {
        var json = new StringBuilder(640);
        json.Append("{\"order\":{\"salt\":").Append(Salt.ToString(CultureInfo.InvariantCulture))
            .Append(",\"maker\":\"").Append(Maker)
            .Append("\",\"signer\":\"").Append(Signer)
            .Append("\",\"tokenId\":\"").Append(TokenId)
            .Append("\",\"makerAmount\":\"").Append(MakerAmount.ToString(CultureInfo.InvariantCulture))
            .Append("\",\"takerAmount\":\"").Append(TakerAmount.ToString(CultureInfo.InvariantCulture))
            .Append("\",\"side\":\"").Append(Side == OrderSide.Buy ? "BUY" : "SELL")
            .Append("\",\"expiration\":\"").Append(expirationSeconds.ToString(CultureInfo.InvariantCulture))
            .Append("\",\"signatureType\":").Append(((int)SignatureType).ToString(CultureInfo.InvariantCulture))
            .Append(",\"timestamp\":\"").Append(TimestampMs.ToString(CultureInfo.InvariantCulture))
            .Append("\",\"metadata\":\"").Append(Metadata)
            .Append("\",\"builder\":\"").Append(Builder)
            .Append("\",\"signature\":\"").Append(Signature)
            .Append("\"},\"owner\":\"").Append(owner)
            .Append("\",\"orderType\":\"").Append(orderType)
            .Append("\",\"deferExec\":false,\"postOnly\":").Append(postOnly ? "true" : "false")
            .Append('}');
        return json.ToString();
    }
}
