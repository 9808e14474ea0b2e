using MyVenue.FakeServer;

// dotnet run --project MyVenue.FakeServer -- --port 8765   (Ctrl+C or SIGTERM stops it)
int port = args.Length == 2 && args[0] == "--port" && int.TryParse(args[1], out int given) ? given : 8765;
await using FakeMyVenueServer server = await FakeMyVenueServer.StartAsync(port);
Console.WriteLine($"fake MyVenue: market data on {server.WebSocketUrl}, orders on {server.HttpUrl} (Ctrl+C stops)");
await server.WaitForShutdownAsync();
