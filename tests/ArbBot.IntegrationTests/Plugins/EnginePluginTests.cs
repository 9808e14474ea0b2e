using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Hosting;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.Plugins;

[Collection(TimingSensitiveCollection.Name)]
public sealed class EnginePluginTests
{
    private readonly string _dir = TestPaths.NewTempDirectory("engine-plugins");

    [Fact]
    public async Task A_bad_plugin_is_reported_by_file_and_the_other_venues_run()
    {
        string throwing = TestPluginCompiler.Compile(_dir, "Broken", version: 1, constructorBody: "throw new InvalidOperationException(\"cannot start\");");
        string yaml = EngineFixture.Sims() + """

              - event: X1
                legs: { broken: X-1, missing: M-1 }
            """;
        yaml = yaml.Replace("pairs:", $"""
              - name: broken
                plugin: {throwing}
              - name: missing
                plugin: Missing/Missing.dll
            pairs:
            """);
        await using EngineHost host = EngineFixture.Create(yaml, _dir);
        await host.StartAsync(CancellationToken.None);

        Assert.Equal(2, host.StartupErrors.Count);
        Assert.Contains(host.StartupErrors, e => e.Contains(throwing) && e.Contains("threw while starting: cannot start"));
        Assert.Contains(host.StartupErrors, e => e.Contains("venue missing: plugin not found: " + Path.Combine(_dir, "Missing", "Missing.dll")));
        Assert.True(await EngineFixture.WaitUntil(async () =>
        {
            EngineSummary s = await host.SummarizeAsync();
            return s.Venues.Where(v => v.Name.StartsWith("sim-", StringComparison.Ordinal)).All(v => v.Deltas > 0 && v.StaleBooks == 0);
        }, TimeSpan.FromSeconds(10)));
        EngineSummary summary = await host.SummarizeAsync();
        Assert.Equal("failed", summary.Venues.Single(v => v.Name == "broken").Status);
        Assert.Equal(2, summary.StaleBooks); // the two books of the failed venues, and only those
    }

    [Fact]
    public async Task Unknown_plugin_setting_is_a_config_error_with_its_line()
    {
        string yaml = EngineFixture.Sims("      colour: \"red\"");
        await using EngineHost host = EngineFixture.Create(yaml, _dir);
        ConfigException ex = await Assert.ThrowsAsync<ConfigException>(() => host.StartAsync(CancellationToken.None));
        Assert.Equal(13, ex.Line);
        Assert.Contains("unknown key venues.sim-kalshi.settings.colour for plugin sim", ex.Message);
    }

    [Fact]
    public async Task Bad_plugin_setting_value_is_a_config_error_with_its_line()
    {
        string yaml = EngineFixture.Sims("      tick: \"0.05\"");
        await using EngineHost host = EngineFixture.Create(yaml, _dir);
        ConfigException ex = await Assert.ThrowsAsync<ConfigException>(() => host.StartAsync(CancellationToken.None));
        Assert.EndsWith("arbbot.yaml:13: venues.sim-kalshi.settings.tick must be 0.01 or 0.001, was \"0.05\"", ex.Message);
    }

    [Fact]
    public async Task Replacing_a_plugin_dll_reloads_it_while_the_engine_runs_and_the_old_code_unloads()
    {
        string dll = TestPluginCompiler.Compile(_dir, "Hot", version: 1);
        string yaml = $$"""
            venues:
              - name: hot
                plugin: {{dll}}
                settings: { color: green }
            pairs:
              - event: H1
                legs: { hot: H-1 }
            """;
        await using EngineHost host = EngineFixture.Create(yaml, _dir);
        var reloaded = new TaskCompletionSource<WeakReference?>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.PluginReloaded += (path, old) => reloaded.TrySetResult(old);
        await host.StartAsync(CancellationToken.None);
        host.WatchPlugins();
        Assert.True(await EngineFixture.WaitUntil(() => BidSizeIs(host, 1), TimeSpan.FromSeconds(5)));

        TestPluginCompiler.Compile(_dir, "Hot", version: 2);

        WeakReference? oldContext = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await EngineFixture.WaitUntil(() => BidSizeIs(host, 2), TimeSpan.FromSeconds(5)), "the new plugin version never published");
        VenueRuntime venue = host.Venues.Single();
        Assert.Equal("2.0", venue.Plugin!.Descriptor.Version);
        Assert.Equal(1, venue.Reloads);
        Assert.Equal(1, await host.Kernel.InvokeAsync(() => host.Kernel.Books[new MarketHandle(0)].Epoch));
        Assert.NotNull(oldContext);
        Assert.True(TestPluginCompiler.CollectUntilDead(oldContext!), "the old plugin's load context was not collected");
    }

    [Fact]
    public async Task A_reloaded_plugin_that_refuses_a_setting_stops_its_venue_with_the_setting_named_in_the_log()
    {
        string dll = TestPluginCompiler.Compile(_dir, "Picky", version: 1);
        string yaml = $$"""
            venues:
              - name: picky
                plugin: {{dll}}
                settings: { color: green }
            pairs:
              - event: P1
                legs: { picky: P-1 }
            """;
        await using EngineHost host = EngineFixture.Create(yaml, _dir);
        await host.StartAsync(CancellationToken.None);
        host.WatchPlugins();
        Assert.True(await EngineFixture.WaitUntil(() => BidSizeIs(host, 1), TimeSpan.FromSeconds(5)));

        // Version 2 no longer accepts green: the venue stops, and the error (logged) says which setting and why.
        TestPluginCompiler.Compile(_dir, "Picky", version: 2, createConnectorBody: "throw new VenueSettingException(\"color\", \"must be blue now\");");
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Venues.Single().Failure is not null), TimeSpan.FromSeconds(30)));
        string failure = host.Venues.Single().Failure!;
        Assert.Contains("venues.picky.settings.color", failure, StringComparison.Ordinal);
        Assert.Contains("must be blue now", failure, StringComparison.Ordinal);
        Assert.Contains("the venue stays stopped until the setting or the plugin is fixed", failure, StringComparison.Ordinal);
        Assert.Contains(failure, host.StartupErrors); // what the log line and the summary's errors show
    }

    [Fact]
    public async Task A_plugin_refused_at_start_is_picked_up_when_a_fixed_build_replaces_it()
    {
        string dll = TestPluginCompiler.Compile(_dir, "Late", version: 1, contractVersion: 42);
        string yaml = $$"""
            venues:
              - name: late
                plugin: {{dll}}
            pairs:
              - event: L1
                legs: { late: L-1 }
            """;
        await using EngineHost host = EngineFixture.Create(yaml, _dir);
        await host.StartAsync(CancellationToken.None);
        host.WatchPlugins();
        Assert.Contains(host.StartupErrors, e => e.Contains("built for contract version 42"));

        TestPluginCompiler.Compile(_dir, "Late", version: 3);

        Assert.True(await EngineFixture.WaitUntil(() => BidSizeIs(host, 3), TimeSpan.FromSeconds(10)), "the fixed plugin was not loaded");
        Assert.Null(host.Venues.Single().Failure);
    }

    private static Task<bool> BidSizeIs(EngineHost host, int contracts) => host.Kernel.InvokeAsync(() =>
        host.Kernel.Books[new MarketHandle(0)].TryGetBestBid(Outcome.Yes, out PriceLevel bid) && bid.Quantity == Quantity.FromContracts(contracts));
}
