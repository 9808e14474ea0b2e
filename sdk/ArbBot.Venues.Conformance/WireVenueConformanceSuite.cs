using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;

namespace ArbBot.Venues.Conformance;

/// <summary>
/// The conformance suite for venues reached over a wire (a fake server of the venue's real
/// protocol stands in): on top of the base suite, the connection dropping, frames that are
/// malformed, unknown or out of order, and credentials the venue refuses.
/// </summary>
public abstract class WireVenueConformanceSuite : VenueConformanceSuite
{
    /// <summary>Makes the fake server close every connection now.</summary>
    protected abstract void DropConnections();

    /// <summary>Settings under which the server mixes malformed, unknown and out-of-order frames into the stream.</summary>
    protected abstract IReadOnlyDictionary<string, string> SettingsWithJunkFrames();

    /// <summary>Settings whose credentials the server refuses.</summary>
    protected abstract IReadOnlyDictionary<string, string> SettingsWithWrongCredentials();

    /// <summary>When the server drops every connection, the books are invalidated, the connector reconnects and resubscribes, and fresh snapshots and deltas make them exact again.</summary>
    [Fact]
    public async Task A_dropped_connection_reconnects_resubscribes_and_the_books_recover()
    {
        (ConformanceSink sink, IVenueConnector connector, MarketHandle[] markets) = await StartAsync(Settings());
        Assert.True(await Eventually(() => sink.Read(s => markets.All(m => s.Deltas.GetValueOrDefault(m) > 5))), Describe(sink, "no deltas before the drop"));
        int snapshotsBefore = sink.Read(s => markets.Sum(m => s.Snapshots.GetValueOrDefault(m)));

        DropConnections();
        Assert.True(await Eventually(() => sink.Read(s => markets.All(m => s.Books[m].Epoch > 0))), Describe(sink, "the books were not invalidated when the connection dropped"));
        Assert.True(await Eventually(() => sink.Read(s =>
            markets.Sum(m => s.Snapshots.GetValueOrDefault(m)) >= snapshotsBefore + markets.Length && markets.All(m => !s.Books[m].IsStale))),
            Describe(sink, "no fresh snapshots after reconnecting"));
        long deltasAfter = sink.Read(s => markets.Sum(m => (long)s.Deltas.GetValueOrDefault(m)));
        Assert.True(await Eventually(() => sink.Read(s => markets.Sum(m => (long)s.Deltas.GetValueOrDefault(m)) > deltasAfter + 10)), Describe(sink, "deltas did not resume"));

        await ExpectBookEqualsVenueSnapshot(sink, connector, markets[0]);
    }

    /// <summary>Malformed, unknown and out-of-order frames are skipped with a warning and the books stay exact.</summary>
    [Fact]
    public async Task Malformed_unknown_and_old_frames_are_skipped_and_the_book_stays_exact()
    {
        (ConformanceSink sink, IVenueConnector connector, MarketHandle[] markets) = await StartAsync(SettingsWithJunkFrames());
        Assert.True(await Eventually(() => sink.Read(s => markets.All(m => s.Deltas.GetValueOrDefault(m) > 30))), Describe(sink, "too few deltas"));
        Assert.True(sink.Read(s => s.Log.Any(l => l.StartsWith("warn: skipped a frame", StringComparison.Ordinal))), Describe(sink, "the malformed frames were not logged"));
        Assert.Equal(0, sink.Read(s => s.Rejected));
        foreach (MarketHandle market in markets)
        {
            await ExpectBookEqualsVenueSnapshot(sink, connector, market);
        }
    }

    /// <summary>Credentials the venue refuses give a clear "refused the credentials" log line, no data and no connected status.</summary>
    [Fact]
    public async Task Wrong_credentials_are_refused_with_a_clear_error_and_no_data()
    {
        (ConformanceSink sink, _, MarketHandle[] markets) = await StartAsync(SettingsWithWrongCredentials());
        Assert.True(await Eventually(() => sink.Read(s => s.Log.Any(l => l.Contains("refused the credentials", StringComparison.Ordinal)))), Describe(sink, "no clear credentials error"));
        Assert.Equal(0, sink.Read(s => markets.Sum(m => s.Snapshots.GetValueOrDefault(m))));
        Assert.DoesNotContain(VenueStatus.Connected, sink.Read(s => s.Statuses.ToArray()));
    }

    private static async Task ExpectBookEqualsVenueSnapshot(ConformanceSink sink, IVenueConnector connector, MarketHandle market)
    {
        Assert.True(await Eventually(() => sink.Read(s => !s.Books[market].IsStale)));
        sink.CompareOnNextSnapshot(market);
        connector.RequestSnapshot(market, "conformance check");
        Assert.True(await Eventually(() => !sink.IsComparisonPending(market)), Describe(sink, "the venue did not answer the snapshot request"));
        Assert.Empty(sink.Read(s => s.Mismatches.ToArray()));
    }
}
