using System.Net;
using System.Text;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;
using ArbBot.FakeVenues.Polymarket;
using ArbBot.Venues.Polymarket.Orders;
using ArbBot.Venues.Polymarket.Signing;

namespace ArbBot.Tests.Venues;

/// <summary>
/// The fake CLOB at the wire, with orders the plugin's signer makes: it takes a well-signed order
/// under correct L2 headers, and refuses one whose fields were changed after signing or that
/// another key signed (it recovers the signer with its own EIP-712 code), and headers whose HMAC
/// does not cover the body sent.
/// </summary>
public sealed class PolymarketFakeClobTests : IAsyncLifetime
{
    private const string AccountKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private const string OtherKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private static readonly FakeClobAccount Account = new("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "fake-api-key", "c2VjcmV0LWZvci10aGUtZmFrZS1jbG9iLTEyMzQ1Njc4OQ==", "fake-passphrase");
    private readonly FakePolymarketServer _server = new([("0xe001", "30011", "30012")], changesPerSecond: 10);
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _server.EnableTrading(Account);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_well_signed_order_is_taken()
    {
        (HttpStatusCode status, string body) = await PostAsync(Body(AccountKey, order => order));
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Contains("\"success\":true", body);
    }

    [Fact]
    public async Task An_order_changed_after_signing_is_refused()
    {
        (HttpStatusCode status, string body) = await PostAsync(Body(AccountKey, order => order with { TakerAmount = order.TakerAmount * 2 }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("invalid signature", body);
    }

    [Fact]
    public async Task An_order_signed_by_another_key_under_the_accounts_headers_is_refused()
    {
        // The maker and signer fields say the account, the signature is another key's.
        (HttpStatusCode status, string body) = await PostAsync(Body(OtherKey, order => order with { Maker = Account.Address, Signer = Account.Address }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("invalid signature", body);
    }

    [Fact]
    public async Task Headers_whose_hmac_does_not_cover_the_body_sent_are_refused()
    {
        string body = Body(AccountKey, order => order);
        (HttpStatusCode status, _) = await PostAsync(body, signedBody: body.Replace("\"GTC\"", "\"FOK\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    private static string Body(string key, Func<ClobOrder, ClobOrder> change)
    {
        var signer = new OrderSigner(EthereumKey.FromHex(key), 137, SignatureType.Eoa, funder: null);
        ClobOrder signed = signer.Sign("30011", OrderSide.Buy, Price.Parse("0.01"), Quantity.Parse("5"), Price.Cent, negRisk: false, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return change(signed).ToJson(Account.ApiKey, "GTC", postOnly: false, expirationSeconds: 0);
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string body, string? signedBody = null)
    {
        var credentials = new ApiCredentials(Account.ApiKey, Account.Secret, Account.Passphrase);
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.GammaUrl + "/order") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (KeyValuePair<string, string> header in credentials.Headers(Account.Address, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "POST", "/order", signedBody ?? body))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        using HttpResponseMessage response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
