using System.Diagnostics;
using System.Text.Json;
using ArbBot.Engine.Hosting;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.Redis;

/// <summary>A reader nobody on this project wrote (Node.js with ioredis from npm) sees what the engine holds.</summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class CrossProcessReaderTests
{
    [Fact]
    public async Task An_ioredis_reader_follows_the_change_feed_and_reads_the_engines_final_books()
    {
        string reader = Path.Combine(TestPaths.RepoRoot, "tests", "node", "reader.js");
        Assert.True(Directory.Exists(Path.Combine(TestPaths.RepoRoot, "tests", "node", "node_modules", "ioredis")),
            "ioredis is not installed: run the tests through tests/run.sh, which runs npm ci in tests/node");
        using RedisServer redis = RedisServer.StartNew();
        string yaml = EngineFixture.Sims() + $"""

            redis:
              connection: {redis.Connection}
              key_prefix: node
            """;
        await using EngineHost host = EngineFixture.Create(yaml, TestPaths.NewTempDirectory("node-reader"));

        var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(reader);
        info.ArgumentList.Add(redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add("node");
        using Process node = Process.Start(info)!;
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("subscribed", StringComparison.Ordinal) == true)
            {
                subscribed.TrySetResult();
            }
        };
        node.BeginErrorReadLine();
        try
        {
            await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await host.StartAsync(CancellationToken.None);

            // One change message per write round, a round writes at most the 16 books: 400 book writes are more than 20 messages.
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Mirror!.Status().BooksWritten > 400), TimeSpan.FromSeconds(30)), "the mirror wrote too little");
            await RedisMirrorTests.StopFeedsAndCatchUp(host);

            await node.StandardInput.WriteLineAsync("read");
            await node.StandardInput.FlushAsync();
            string? line = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.NotNull(line);
            using JsonDocument result = JsonDocument.Parse(line);
            Assert.True(result.RootElement.GetProperty("messages").GetInt32() > 20, "the reader saw too few change messages");
            Assert.StartsWith("sim-", result.RootElement.GetProperty("lastMessage")[0].GetProperty("venue").GetString());
            JsonElement books = result.RootElement.GetProperty("books");
            Assert.Equal(16, books.EnumerateObject().Count());

            // What the reader read equals the engine's final state, book by book.
            var expected = await host.Kernel.InvokeAsync(() => Enumerable.Range(0, host.Kernel.Books.Count).SelectMany(i =>
            {
                var book = host.Kernel.Books[new Abstractions.Markets.MarketHandle(i)];
                return new[] { Abstractions.Markets.Outcome.Yes, Abstractions.Markets.Outcome.No }.Select(o =>
                {
                    book.TryGetBestBid(o, out var bid);
                    book.TryGetBestAsk(o, out var ask);
                    return ($"node:book:{book.VenueName}:{book.MarketId}:{(o == Abstractions.Markets.Outcome.Yes ? "yes" : "no")}", bid.Price.ToString(), ask.Price.ToString(), ask.Quantity.ToString());
                });
            }).ToList());
            foreach ((string key, string bid, string ask, string askSize) in expected)
            {
                JsonElement hash = books.GetProperty(key);
                Assert.Equal((bid, ask, askSize), (hash.GetProperty("bid").GetString(), hash.GetProperty("ask").GetString(), hash.GetProperty("ask_size").GetString()));
            }
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill();
            }
        }
    }
}
