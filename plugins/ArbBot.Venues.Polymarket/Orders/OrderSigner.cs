using System.Security.Cryptography;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Polymarket.Signing;

namespace ArbBot.Venues.Polymarket.Orders;

/// <summary>
/// Builds and signs CLOB V2 orders for one account: the amounts from price and size, the exchange
/// of the market (neg-risk markets settle on their own exchange contract, so their orders are
/// signed for it), a random salt, and the EIP-712 signature by the account key, with a nonce
/// prepared ahead (<see cref="NoncePool"/>) so that signing is off the curve-multiplication path.
/// Order version 3 (what <c>GET /version</c> may ask for) is the same struct signed for ExchangeV3
/// under domain version "3", for every market, as the official client signs it.
/// </summary>
internal sealed class OrderSigner
{
    /// <summary>CTF Exchange V2 on Polygon (docs/venues/PROTOCOLS.md 2.1).</summary>
    public const string ExchangeV2 = "0xE111180000d2663C0091e4f400237545B87B996B";

    /// <summary>Neg-risk CTF Exchange V2 on Polygon.</summary>
    public const string NegRiskExchangeV2 = "0xe2222d279d744050d28e00520010520000310F59";

    /// <summary>CTF ExchangeV3 on Polygon (the official client's config; order version 3).</summary>
    public const string ExchangeV3 = "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa";

    /// <summary>CTF ExchangeV3 on Amoy (chain 80002).</summary>
    public const string AmoyExchangeV3 = "0x9fE6e61422AdB6F610d8597F9684b16912D50C3D";

    private readonly EthereumKey _key;
    private readonly NoncePool _nonces;
    private readonly byte[] _domain;
    private readonly byte[] _negRiskDomain;
    private readonly byte[] _v3Domain;

    /// <summary>Creates a signer; <paramref name="funder"/> is the maker address for proxy and Safe wallets (null: the key's own address).</summary>
    public OrderSigner(EthereumKey key, long chainId, SignatureType signatureType, string? funder, string exchange = ExchangeV2, string negRiskExchange = NegRiskExchangeV2, NoncePool? nonces = null, string? exchangeV3 = null)
    {
        _key = key;
        _nonces = nonces ?? new NoncePool();
        SignatureType = signatureType;
        Maker = funder ?? key.ChecksumAddress; // as the official client sends it: the funder as configured, else the key's checksummed address
        _domain = Eip712.Domain("Polymarket CTF Exchange", "2", chainId, exchange);
        _negRiskDomain = Eip712.Domain("Polymarket CTF Exchange", "2", chainId, negRiskExchange);
        _v3Domain = Eip712.Domain("Polymarket CTF Exchange", "3", chainId, exchangeV3 ?? (chainId == 80002 ? AmoyExchangeV3 : ExchangeV3));
    }

    /// <summary>The order versions this signer can sign.</summary>
    public static bool Signs(int version) => version is 2 or 3;

    /// <summary>The address whose funds the orders use.</summary>
    public string Maker { get; }

    /// <summary>The signing account's address.</summary>
    public string Signer => _key.ChecksumAddress;

    public SignatureType SignatureType { get; }

    /// <summary>The domain separator orders on a (neg-risk or ordinary) market are signed under, for an order version.</summary>
    public byte[] DomainSeparator(bool negRisk, int version = 2) => version switch
    {
        2 => negRisk ? _negRiskDomain : _domain,
        3 => _v3Domain,
        _ => throw new ArgumentException($"the venue asks for order version {version}; this plugin signs versions 2 and 3"),
    };

    /// <summary>A signed order to buy or sell <paramref name="size"/> shares of a token at <paramref name="price"/>.</summary>
    public ClobOrder Sign(string tokenId, OrderSide side, Price price, Quantity size, Price tick, bool negRisk, long timestampMs, int version = 2)
    {
        byte[] domain = DomainSeparator(negRisk, version);
        OrderAmounts amounts = OrderAmounts.For(side, price, size, tick);
        var order = new ClobOrder(
            NewSalt(),
            Maker,
            Signer,
            tokenId,
            amounts.MakerAmount,
            amounts.TakerAmount,
            side,
            SignatureType,
            timestampMs,
            ClobOrder.Zero32,
            ClobOrder.Zero32);
        byte[] digest = Eip712.Digest(domain, order.StructHash());
        return order with { Signature = EthereumKey.Hex(_key.Sign(digest, _nonces.Take())) };
    }

    /// <summary>A random salt below 2^53: the body carries it as a JSON number, which JavaScript readers hold exactly only that far.</summary>
    private static long NewSalt()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return (long)(BitConverter.ToUInt64(bytes) & ((1UL << 53) - 1));
    }

    /// <summary>The address that signed an order for this chain and exchange, or null (the fake venue checks orders with it).</summary>
    public static string? RecoverSigner(ClobOrder order, byte[] domainSeparator)
    {
        string hex = order.Signature.StartsWith("0x", StringComparison.Ordinal) ? order.Signature[2..] : order.Signature;
        if (hex.Length != 130 || !hex.All(Uri.IsHexDigit))
        {
            return null;
        }

        return EthereumKey.Recover(Eip712.Digest(domainSeparator, order.StructHash()), Convert.FromHexString(hex));
    }
}
