using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;
using ArbBot.Tests.Configuration;
using ArbBot.Venues.Polymarket.Http;
using ArbBot.Venues.Polymarket.Orders;
using ArbBot.Venues.Polymarket.Signing;

namespace ArbBot.Tests.Venues;

/// <summary>
/// The official client, <c>@polymarket/clob-client-v2</c> from npm (tests/node/polymarket-oracle.mjs,
/// offline), as the oracle for what the plugin puts on the wire: it builds and signs orders (versions
/// 2 and 3, BUY and SELL, EOA and Safe, ticks 0.01 and 0.001, neg-risk or not), L1 and L2 headers and
/// the heartbeat body; the plugin must produce the same amounts, addresses, body fields, EIP-712
/// digests (the client's signatures recover to the account under the plugin's digests), HMACs and bytes.
/// </summary>
public sealed class PolymarketOfficialClientTests
{
    private const string DevKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private const string DevAddress = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private const string Secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";

    private static readonly (string Token, string Price, string Size, string Side, string Tick, bool NegRisk, int Version, int SignatureType, string? Funder, string OrderType, bool PostOnly)[] s_orders =
    [
        ("7132", "0.52", "100", "BUY", "0.01", false, 2, 0, null, "GTC", true),
        ("7132", "0.375", "12.5", "SELL", "0.001", true, 2, 2, "0x1111111111111111111111111111111111111111", "FAK", false),
        ("52114319501245915516055106046884209969926127482827954674443846427813813222426", "0.07", "33.33", "BUY", "0.01", true, 2, 1, "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "FOK", false),
        ("99", "0.5", "10", "BUY", "0.01", false, 3, 0, null, "GTC", false),
        ("99", "0.999", "7", "SELL", "0.001", true, 3, 0, null, "GTD", true),
    ];

    [Fact]
    public void Orders_headers_and_heartbeats_match_the_official_client_field_for_field()
    {
        JsonElement official = RunOracle();
        var key = EthereumKey.FromHex(DevKey);
        Assert.Equal(key.ChecksumAddress, official.GetProperty("address").GetString());

        JsonElement[] orders = official.GetProperty("orders").EnumerateArray().ToArray();
        Assert.Equal(s_orders.Length, orders.Length);
        for (int i = 0; i < orders.Length; i++)
        {
            var o = s_orders[i];
            JsonElement signed = orders[i].GetProperty("signed");
            var signer = new OrderSigner(key, 137, (SignatureType)o.SignatureType, o.Funder);
            OrderSide side = o.Side == "BUY" ? OrderSide.Buy : OrderSide.Sell;
            OrderAmounts amounts = OrderAmounts.For(side, Price.Parse(o.Price), Quantity.Parse(o.Size), Price.Parse(o.Tick));
            string what = $"order {i} ({o.Side} {o.Size} at {o.Price}, tick {o.Tick}, version {o.Version})";
            Assert.True(amounts.MakerAmount.ToString(CultureInfo.InvariantCulture) == signed.GetProperty("makerAmount").GetString()
                && amounts.TakerAmount.ToString(CultureInfo.InvariantCulture) == signed.GetProperty("takerAmount").GetString(),
                $"{what}: amounts {amounts} differ from the client's {signed.GetProperty("makerAmount")}/{signed.GetProperty("takerAmount")}");

            // The plugin's order with the client's salt and time: same fields, and the client's signature recovers to the account under the plugin's digest.
            var ours = new ClobOrder(long.Parse(signed.GetProperty("salt").GetString()!, CultureInfo.InvariantCulture), signer.Maker, signer.Signer, o.Token,
                amounts.MakerAmount, amounts.TakerAmount, side, (SignatureType)o.SignatureType, long.Parse(signed.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture),
                ClobOrder.Zero32, ClobOrder.Zero32)
            { Signature = signed.GetProperty("signature").GetString()! };
            Assert.Equal(DevAddress, OrderSigner.RecoverSigner(ours, signer.DomainSeparator(o.NegRisk, o.Version)));

            JsonNode theirs = JsonNode.Parse(orders[i].GetProperty("body").GetString()!)!;
            JsonNode mine = JsonNode.Parse(ours.ToJson("api-key", o.OrderType, o.PostOnly, expirationSeconds: 0))!;
            Assert.True(JsonNode.DeepEquals(theirs, mine), $"{what}: body differs\nofficial: {theirs.ToJsonString()}\nplugin:   {mine.ToJsonString()}");
        }

        // L1: same address, timestamp and nonce; the client's signature recovers to the account under the plugin's ClobAuth digest.
        JsonElement l1 = official.GetProperty("l1");
        var ourL1 = ClobAuth.Headers(key, 137, 1700000000, 0).ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal((l1.GetProperty("POLY_ADDRESS").GetString(), l1.GetProperty("POLY_TIMESTAMP").GetString(), l1.GetProperty("POLY_NONCE").GetString()),
            (ourL1["POLY_ADDRESS"], ourL1["POLY_TIMESTAMP"], ourL1["POLY_NONCE"]));
        Assert.Equal(DevAddress, EthereumKey.Recover(ClobAuth.Digest(key.Address, 137, 1700000000, 0), Convert.FromHexString(l1.GetProperty("POLY_SIGNATURE").GetString()![2..])));

        // The heartbeat body and its L2 headers, byte for byte (the HMAC is deterministic).
        string body = ClobClient.HeartbeatBody("hb-1");
        Assert.Equal(official.GetProperty("heartbeatBody").GetString(), body);
        var ourL2 = new ApiCredentials("k", Secret, "p").Headers(key.ChecksumAddress, 1700000001, "POST", ClobClient.HeartbeatPath, body).ToDictionary(h => h.Key, h => h.Value);
        foreach (JsonProperty header in official.GetProperty("l2").EnumerateObject())
        {
            Assert.True(ourL2.TryGetValue(header.Name, out string? value) && value == header.Value.GetString(), $"L2 header {header.Name}: official {header.Value}, plugin {value}");
        }
    }

    private static JsonElement RunOracle() => NodeOracle.Run("polymarket-oracle.mjs", "@polymarket/clob-client-v2", new
    {
        privateKey = DevKey,
        chainId = 137,
        owner = "api-key",
        heartbeatId = "hb-1",
        apiKey = "k",
        secret = Secret,
        passphrase = "p",
        l1Nonce = 0,
        l1Timestamp = 1700000000,
        l2Timestamp = 1700000001,
        orders = s_orders.Select(o => new
        {
            tokenId = o.Token,
            price = double.Parse(o.Price, CultureInfo.InvariantCulture), // the client takes JavaScript numbers
            size = double.Parse(o.Size, CultureInfo.InvariantCulture),
            side = o.Side,
            tickSize = o.Tick,
            negRisk = o.NegRisk,
            version = o.Version,
            signatureType = o.SignatureType,
            funder = o.Funder,
            orderType = o.OrderType,
            postOnly = o.PostOnly,
        }),
    });
}
