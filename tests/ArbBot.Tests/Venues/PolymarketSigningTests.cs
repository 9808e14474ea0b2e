using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Polymarket.Orders;
using ArbBot.Venues.Polymarket.Signing;

namespace ArbBot.Tests.Venues;

/// <summary>
/// Polymarket signing against published vectors: the L2 HMAC and the L1 ClobAuth signature from the
/// official SDKs' tests (as quoted in docs/venues/PROTOCOLS.md 2.6), the EIP-712 specification's own example
/// (domain separator, struct hash, digest and signature), and CLOB V2 orders: amounts, the signed
/// struct, and signatures that recover to the signer (and stop doing so when a field changes).
/// </summary>
public sealed class PolymarketSigningTests
{
    // Hardhat's first public development account: the key the official SDK tests sign with.
    private const string DevKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private const string DevAddress = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private const string DevChecksumAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"; // as the official client and every wallet write it

    [Fact]
    public void L2_hmac_matches_the_sdk_vector()
    {
        // docs/venues/PROTOCOLS.md 2.6: from the official SDK tests (MIT), re-computed there.
        var credentials = new ApiCredentials("key-id", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "passphrase");
        Assert.Equal("ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc=", credentials.Signature(1000000, "test-sign", "/orders", "{\"hash\": \"0x123\"}"));
        IReadOnlyList<KeyValuePair<string, string>> headers = credentials.Headers(DevAddress, 1000000, "test-sign", "/orders", "{\"hash\": \"0x123\"}");
        Assert.Equal(["POLY_ADDRESS", "POLY_SIGNATURE", "POLY_TIMESTAMP", "POLY_API_KEY", "POLY_PASSPHRASE"], headers.Select(h => h.Key));
        Assert.Equal("api key key-id", credentials.ToString()); // never the secret
    }

    [Fact]
    public void L1_clob_auth_signature_matches_the_sdk_vector()
    {
        // docs/venues/PROTOCOLS.md 2.6: the official TypeScript SDK's test (also quoted by rs-clob-client's eip712 test): chain 80002, timestamp 10000000, nonce 23.
        EthereumKey key = EthereumKey.FromHex(DevKey);
        Assert.Equal(DevAddress, key.Address);
        Assert.Equal(
            "0xf62319a987514da40e57e2f4d7529f7bac38f0355bd88bb5adbb3768d80de6c1682518e0af677d5260366425f4361e7b70c25ae232aff0ab2331e2b164a1aedc1b",
            ClobAuth.Sign(key, 80002, 10000000, 23));
        Assert.Equal(DevAddress, key.ToString()); // the address, never the key
    }

    [Fact]
    public void Eip712_hashing_and_signing_match_the_specifications_example()
    {
        // EIP-712 (https://eips.ethereum.org/EIPS/eip-712), its "Example" test: Mail from Cow to Bob, signed with keccak256("cow").
        byte[] domain = Eip712.Domain("Ether Mail", "1", 1, "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC");
        Assert.Equal("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f", EthereumKey.Hex(domain));

        const string mailType = "Mail(Person from,Person to,string contents)Person(string name,address wallet)";
        var mail = new Eip712.Words(4);
        mail.TypeHash(mailType);
        mail.Bytes32(EthereumKey.Hex(Person("Cow", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")));
        mail.Bytes32(EthereumKey.Hex(Person("Bob", "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB")));
        mail.String("Hello, Bob!");
        byte[] structHash = mail.Hash();
        Assert.Equal("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e", EthereumKey.Hex(structHash));

        byte[] digest = Eip712.Digest(domain, structHash);
        Assert.Equal("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2", EthereumKey.Hex(digest));

        EthereumKey cow = EthereumKey.FromHex(EthereumKey.Hex(Keccak256.Hash(Encoding.UTF8.GetBytes("cow"))));
        byte[] signature = cow.Sign(digest);
        Assert.Equal("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d", EthereumKey.Hex(signature[..32]));
        Assert.Equal("0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562", EthereumKey.Hex(signature[32..64]));
        Assert.Equal(28, signature[64]);
        Assert.Equal(cow.Address, EthereumKey.Recover(digest, signature));
    }

    [Fact]
    public void Nonces_prepared_ahead_sign_validly_with_low_s_and_are_never_handed_out_twice()
    {
        EthereumKey key = EthereumKey.FromHex(DevKey);
        var pool = new NoncePool(capacity: 8);
        pool.Fill();
        byte[] digest = Keccak256.Hash(Encoding.UTF8.GetBytes("the same order twice"));
        var signatures = new HashSet<string>(StringComparer.Ordinal);
        var halfOrder = System.Numerics.BigInteger.Parse("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < 20; i++) // more than the pool holds: it refills, or computes on the spot
        {
            byte[] signature = key.Sign(digest, pool.Take());
            Assert.Equal(DevAddress, EthereumKey.Recover(digest, signature));
            Assert.True(new System.Numerics.BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true) <= halfOrder, "s must be in the lower half");
            Assert.True(signatures.Add(EthereumKey.Hex(signature)), "a nonce was used twice");
        }
    }

    [Theory]
    [InlineData(OrderSide.Buy, "0.50", "100", "0.01", 50_000_000, 100_000_000)] // docs/venues/PROTOCOLS.md 2.5's body: 100 shares at 0.50
    [InlineData(OrderSide.Sell, "0.50", "100", "0.01", 100_000_000, 50_000_000)]
    [InlineData(OrderSide.Buy, "0.123", "12.34", "0.001", 1_517_820, 12_340_000)]
    [InlineData(OrderSide.Sell, "0.0001", "5", "0.0001", 5_000_000, 500)]
    public void Amounts_are_size_and_size_times_price_in_base_units(OrderSide side, string price, string size, string tick, long maker, long taker)
    {
        Assert.Equal(new OrderAmounts(maker, taker), OrderAmounts.For(side, Price.Parse(price), Quantity.Parse(size), Price.Parse(tick)));
    }

    [Theory]
    [InlineData("0.505", "10", "0.01", "is not on the market's tick 0.01")]
    [InlineData("1", "10", "0.01", "strictly between 0 and 1")]
    [InlineData("0.5", "10.005", "0.01", "multiple of 0.01 shares")]
    public void Amounts_the_exchange_would_refuse_are_refused_here(string price, string size, string tick, string expected)
    {
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => OrderAmounts.For(OrderSide.Buy, Price.Parse(price), Quantity.Parse(size), Price.Parse(tick))).Message);
    }

    [Fact]
    public void A_signed_order_recovers_to_its_signer_on_its_own_exchange_only()
    {
        var signer = new OrderSigner(EthereumKey.FromHex(DevKey), 137, SignatureType.Eoa, funder: null);
        ClobOrder order = signer.Sign("71321045679252212594626385532706912750332728571942532289631379312455583992563", OrderSide.Buy, Price.Parse("0.5"), Quantity.Parse("100"), Price.Cent, negRisk: false, 1713398400000);
        Assert.Equal((DevChecksumAddress, DevChecksumAddress, 50_000_000L, 100_000_000L), (order.Maker, order.Signer, order.MakerAmount, order.TakerAmount));
        Assert.Matches("^0x[0-9a-f]{130}$", order.Signature);
        Assert.Equal(DevAddress, OrderSigner.RecoverSigner(order, signer.DomainSeparator(negRisk: false)));

        // Any change to a signed field, or the other exchange, and the signature no longer belongs to the signer.
        Assert.NotEqual(DevAddress, OrderSigner.RecoverSigner(order with { MakerAmount = 50_000_001 }, signer.DomainSeparator(negRisk: false)));
        Assert.NotEqual(DevAddress, OrderSigner.RecoverSigner(order with { Side = OrderSide.Sell }, signer.DomainSeparator(negRisk: false)));
        Assert.NotEqual(DevAddress, OrderSigner.RecoverSigner(order, signer.DomainSeparator(negRisk: true)));
        Assert.Null(OrderSigner.RecoverSigner(order with { Signature = "0x1234" }, signer.DomainSeparator(negRisk: false)));

        ClobOrder negRisk = signer.Sign("1", OrderSide.Sell, Price.Parse("0.42"), Quantity.Parse("5"), Price.Cent, negRisk: true, 1713398400000);
        Assert.Equal(DevAddress, OrderSigner.RecoverSigner(negRisk, signer.DomainSeparator(negRisk: true)));
    }

    [Fact]
    public void A_proxy_wallet_order_is_made_by_the_funder_and_signed_by_the_key()
    {
        const string funder = "0x1111111111111111111111111111111111111111";
        var signer = new OrderSigner(EthereumKey.FromHex(DevKey), 137, SignatureType.PolyGnosisSafe, funder);
        ClobOrder order = signer.Sign("1", OrderSide.Buy, Price.Parse("0.3"), Quantity.Parse("10"), Price.Cent, negRisk: false, 1);
        Assert.Equal((funder, DevChecksumAddress, SignatureType.PolyGnosisSafe), (order.Maker, order.Signer, order.SignatureType));
        Assert.Equal(DevAddress, OrderSigner.RecoverSigner(order, signer.DomainSeparator(negRisk: false)));
    }

    [Fact]
    public void A_version_3_order_is_signed_for_exchange_v3_under_domain_version_3_and_nothing_else()
    {
        var signer = new OrderSigner(EthereumKey.FromHex(DevKey), 137, SignatureType.Eoa, funder: null);
        ClobOrder v3 = signer.Sign("7132", OrderSide.Buy, Price.Parse("0.5"), Quantity.Parse("100"), Price.Cent, negRisk: true, 1713398400000, version: 3);
        var fields = JsonDocument.Parse(v3.ToJson("k", "GTC", postOnly: false, expirationSeconds: 0)).RootElement.GetProperty("order").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());

        // Checked by the fake venue's own EIP-712 code: ExchangeV3 and domain "3" for neg-risk markets too; not a version 2 domain.
        Assert.Equal(DevAddress, ArbBot.FakeVenues.Polymarket.FakeClobSignatures.OrderSigner(fields, 137, OrderSigner.ExchangeV3, "3"));
        Assert.NotEqual(DevAddress, ArbBot.FakeVenues.Polymarket.FakeClobSignatures.OrderSigner(fields, 137, OrderSigner.NegRiskExchangeV2));
        Assert.Throws<ArgumentException>(() => signer.Sign("7132", OrderSide.Buy, Price.Parse("0.5"), Quantity.Parse("100"), Price.Cent, negRisk: false, 1, version: 4));
    }

    [Fact]
    public void The_order_body_has_the_fields_and_types_the_venue_reads()
    {
        var signer = new OrderSigner(EthereumKey.FromHex(DevKey), 137, SignatureType.Eoa, funder: null);
        ClobOrder order = signer.Sign("7132", OrderSide.Buy, Price.Parse("0.5"), Quantity.Parse("100"), Price.Cent, negRisk: false, 1713398400000);
        using JsonDocument body = JsonDocument.Parse(order.ToJson("api-key", "GTC", postOnly: true, expirationSeconds: 0));
        JsonElement o = body.RootElement.GetProperty("order");
        Assert.Equal(JsonValueKind.Number, o.GetProperty("salt").ValueKind);
        Assert.Equal("7132", o.GetProperty("tokenId").GetString());
        Assert.Equal(("50000000", "100000000", "BUY", "0"), (o.GetProperty("makerAmount").GetString(), o.GetProperty("takerAmount").GetString(), o.GetProperty("side").GetString(), o.GetProperty("expiration").GetString()));
        Assert.Equal(0, o.GetProperty("signatureType").GetInt32());
        Assert.Equal("1713398400000", o.GetProperty("timestamp").GetString());
        Assert.Equal(ClobOrder.Zero32, o.GetProperty("metadata").GetString());
        Assert.Equal(order.Signature, o.GetProperty("signature").GetString());
        Assert.Equal((DevChecksumAddress, DevChecksumAddress), (o.GetProperty("maker").GetString(), o.GetProperty("signer").GetString())); // EIP-55, as the official client sends them
        Assert.Equal(("api-key", "GTC", false, true), (body.RootElement.GetProperty("owner").GetString(), body.RootElement.GetProperty("orderType").GetString(), body.RootElement.GetProperty("deferExec").GetBoolean(), body.RootElement.GetProperty("postOnly").GetBoolean()));
    }

    [Theory]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")] // EIP-55's own examples
    [InlineData("0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbf03b407c01e7cd3cbea99509d93f8dddc8c6fb", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    [InlineData(DevAddress, DevChecksumAddress)]
    public void Addresses_go_out_in_eip55_checksummed_form(string address, string expected)
    {
        Assert.Equal(expected, Eip55.Checksum(address));

        // The fake CLOB takes either case, and refuses a mixed case whose checksum is wrong (a typo), as the venue would.
        Assert.True(ArbBot.FakeVenues.Polymarket.FakeClobSignatures.ChecksumHolds(expected));
        Assert.True(ArbBot.FakeVenues.Polymarket.FakeClobSignatures.ChecksumHolds(address.ToLowerInvariant()));
        string typo = expected[..^1] + (char.IsUpper(expected[^1]) ? char.ToLowerInvariant(expected[^1]) : char.IsLetter(expected[^1]) ? char.ToUpperInvariant(expected[^1]) : expected[^1]);
        Assert.Equal(typo == expected, ArbBot.FakeVenues.Polymarket.FakeClobSignatures.ChecksumHolds(typo));
    }

    [Fact]
    public void The_l1_and_l2_headers_carry_the_checksummed_address()
    {
        EthereumKey key = EthereumKey.FromHex(DevKey);
        Assert.Equal(DevChecksumAddress, key.ChecksumAddress);
        Assert.Contains(ClobAuth.Headers(key, 137, 1, 0), h => h.Key == "POLY_ADDRESS" && h.Value == DevChecksumAddress);
    }

    [Theory]
    [InlineData("0x1234", "64 hex digits")]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000", "not a valid secp256k1 scalar")]
    public void A_bad_private_key_is_refused_without_showing_it(string key, string expected)
    {
        FormatException error = Assert.Throws<FormatException>(() => EthereumKey.FromHex(key));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain(key[2..], error.Message);
    }

    private static byte[] Person(string name, string wallet)
    {
        var person = new Eip712.Words(3);
        person.TypeHash("Person(string name,address wallet)");
        person.String(name);
        person.Address(wallet);
        return person.Hash();
    }
}
