using MyVenue.FakeServer;

// dotnet run --project MyVenue.FakeServer -- --port 8765 [--token-env MYVENUE_TOKEN]   (Ctrl+C or SIGTERM stops it)
int at = Array.IndexOf(args, "--port");
int port = at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out int given) ? given : 8765;
int tokenAt = Array.IndexOf(args, "--token-env");
string? token = tokenAt >= 0 && tokenAt + 1 < args.Length ? Environment.GetEnvironmentVariable(args[tokenAt + 1]) : null;
await using FakeMyVenueServer server = await FakeMyVenueServer.StartAsync(port, token);
Console.WriteLine($"fake MyVenue: market data on {server.WebSocketUrl}, orders on {server.HttpUrl} (Ctrl+C stops)");
await server.WaitForShutdownAsync();
