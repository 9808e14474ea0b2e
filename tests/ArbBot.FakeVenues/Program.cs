using System.Globalization;
using ArbBot.FakeVenues.Kalshi;

// A fake venue to try the engine against without an account:
//   dotnet run -c Release --project tests/ArbBot.FakeVenues -- kalshi --port 8089 --key-out .arbbot/fake-kalshi.pem
// prints the settings to use; the key id is "fake-kalshi-key" (export KALSHI_API_KEY_ID=fake-kalshi-key).
if (args.Length == 0 || args[0] != "kalshi")
{
    Console.Error.WriteLine("usage: ArbBot.FakeVenues kalshi [--port 8089] [--key-out PATH] [--markets FAKE-A,FAKE-B] [--deltas-per-second 200]");
    return 2;
}

int port = 8089;
string keyOut = Path.Combine(".arbbot", "fake-kalshi.pem");
string[] markets = ["FAKE-E01", "FAKE-E02", "FAKE-E03", "FAKE-E04"];
int rate = 200;
for (int i = 1; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--key-out": keyOut = args[i + 1]; break;
        case "--markets": markets = args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries); break;
        case "--deltas-per-second": rate = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

(string privatePem, System.Security.Cryptography.RSA publicKey) = FakeKalshiServer.NewKeyPair();
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyOut))!);
File.WriteAllText(keyOut, privatePem);
await using var server = new FakeKalshiServer(markets, publicKey, "fake-kalshi-key", rate);
await server.StartAsync(port);
Console.WriteLine($"fake Kalshi listening: rest_url {server.RestUrl}, ws_url {server.WebSocketUrl}");
Console.WriteLine($"private key written to {Path.GetFullPath(keyOut)}; key id: fake-kalshi-key (export KALSHI_API_KEY_ID=fake-kalshi-key)");
Console.WriteLine($"markets: {string.Join(", ", markets)}. Ctrl+C stops.");
var done = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    done.TrySetResult();
};
await done.Task;
return 0;
