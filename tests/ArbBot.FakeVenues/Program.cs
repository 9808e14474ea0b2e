using System.Globalization;
using ArbBot.FakeVenues.Kalshi;
using ArbBot.FakeVenues.Polymarket;

// Fake venues to try the engine against without an account:
//   dotnet run -c Release --project tests/ArbBot.FakeVenues -- kalshi --port 8089 --key-out .arbbot/fake-kalshi.pem
//     prints the settings to use; the key id is "fake-kalshi-key" (export KALSHI_API_KEY_ID=fake-kalshi-key).
//   dotnet run -c Release --project tests/ArbBot.FakeVenues -- polymarket --port 8090 [--trade --key-out .arbbot/fake-polymarket.key]
//     a market channel for the markets of examples/cross-venue-fake.yaml; with --trade also the CLOB
//     (orders, cancels, the user channel) for a fresh account whose private key is written to the key file.
string usage = "usage: ArbBot.FakeVenues kalshi [--port 8089] [--key-out PATH] [--markets FAKE-A,FAKE-B | --catalog MARKETS.json] [--deltas-per-second 200]\n"
    + "       ArbBot.FakeVenues polymarket [--port 8090] [--markets CONDITION:YES_TOKEN:NO_TOKEN,... | --catalog GAMMA_MARKETS.json] [--changes-per-second 200] [--trade [--key-out PATH] [--heartbeat-timeout-ms 10000]]\n"
    + "  --catalog lists the markets of a venue-format listing file (tests/fixtures/pairing) and serves their books.";
if (args.Length == 0 || args[0] is not ("kalshi" or "polymarket"))
{
    Console.Error.WriteLine(usage);
    return 2;
}

bool kalshi = args[0] == "kalshi";
int port = kalshi ? 8089 : 8090;
string keyOut = Path.Combine(".arbbot", kalshi ? "fake-kalshi.pem" : "fake-polymarket.key");
bool trade = false;
int heartbeatTimeoutMs = 10_000;
string[] markets = kalshi
    ? ["FAKE-E01", "FAKE-E02", "FAKE-E03", "FAKE-E04"]
    : ["0xfake01:900011:900012", "0xfake02:900021:900022", "0xfake03:900031:900032", "0xfake04:900041:900042"];
int rate = 200;
string? catalog = null;
for (int i = 1; i < args.Length; i += 2)
{
    if (args[i] == "--trade" && !kalshi)
    {
        trade = true;
        i--; // a flag: no value follows
        continue;
    }

    if (i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"{args[i]} needs a value\n{usage}");
        return 2;
    }

    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--key-out": keyOut = args[i + 1]; break;
        case "--heartbeat-timeout-ms": heartbeatTimeoutMs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--markets": markets = args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries); break;
        case "--catalog": catalog = args[i + 1]; break;
        case "--deltas-per-second" or "--changes-per-second": rate = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}\n{usage}"); return 2;
    }
}

IAsyncDisposable server;
if (kalshi)
{
    (string privatePem, System.Security.Cryptography.RSA publicKey) = FakeKalshiServer.NewKeyPair();
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyOut))!);
    ArbBot.FakeVenues.SecretFile.Write(keyOut, privatePem);
    FakeKalshiServer fake = catalog is null
        ? new FakeKalshiServer(markets, publicKey, "fake-kalshi-key", rate)
        : FakeKalshiServer.FromCatalog(catalog, publicKey, "fake-kalshi-key", rate);
    await fake.StartAsync(port);
    server = fake;
    Console.WriteLine($"fake Kalshi listening: rest_url {fake.RestUrl}, ws_url {fake.WebSocketUrl}");
    Console.WriteLine($"private key written to {Path.GetFullPath(keyOut)}; key id: fake-kalshi-key (export KALSHI_API_KEY_ID=fake-kalshi-key)");
}
else
{
    var parsed = markets.Select(m => m.Split(':')).Select(p => p.Length == 3 ? (p[0], p[1], p[2]) : throw new ArgumentException($"--markets takes CONDITION:YES_TOKEN:NO_TOKEN, was \"{string.Join(':', p)}\"")).ToList();
    FakePolymarketServer fake = catalog is null ? new FakePolymarketServer(parsed, rate) : FakePolymarketServer.FromCatalog(catalog, rate);
    if (trade)
    {
        (FakeClobAccount account, string privateKey) = FakeClobSignatures.NewFakeAccount();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyOut))!);
        ArbBot.FakeVenues.SecretFile.Write(keyOut, privateKey);
        fake.EnableTrading(account);
        fake.HeartbeatTimeout = TimeSpan.FromMilliseconds(heartbeatTimeoutMs);
        Console.WriteLine($"trading enabled for account {account.Address}: its private key is in {Path.GetFullPath(keyOut)} (private_key_file); the plugin derives the API credentials with it");
    }

    await fake.StartAsync(port);
    server = fake;
    Console.WriteLine($"fake Polymarket listening: ws_url {fake.MarketChannelUrl}, gamma_url {fake.GammaUrl}{(trade ? $", clob_url {fake.GammaUrl}, user_ws_url {fake.UserChannelUrl}" : "")}");
}

Console.WriteLine(catalog is null ? $"markets: {string.Join(", ", markets)}. Ctrl+C stops." : $"markets: those of {catalog}. Ctrl+C stops.");
var done = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    done.TrySetResult();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true; // stop in order, like Ctrl+C
    done.TrySetResult();
});
await done.Task;
await server.DisposeAsync();
return 0;
