using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Plugins;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.Plugins;

[Collection(TimingSensitiveCollection.Name)]
public sealed class PluginLoaderTests
{
    private readonly string _dir = TestPaths.NewTempDirectory("plugins");
    private readonly PluginLoader _loader;

    public PluginLoaderTests()
    {
        _loader = new PluginLoader([_dir, TestPaths.PluginsDirectory]);
    }

    [Fact]
    public void The_shipped_sim_plugin_loads_in_its_own_context_and_shares_the_contract()
    {
        LoadedPlugin plugin = PluginLoader.Load(TestPaths.SimPluginDll);

        Assert.Equal("sim", plugin.Descriptor.Name);
        Assert.True(plugin.Descriptor.Capabilities.HasFlag(VenueCapabilities.Trading));
        Assert.Contains(plugin.Descriptor.Settings, s => s.Key == "style");
        AssemblyLoadContext context = AssemblyLoadContext.GetLoadContext(plugin.Plugin.GetType().Assembly)!;
        Assert.NotSame(AssemblyLoadContext.Default, context);
        Assert.True(context.IsCollectible);

        // One contract type on both sides: the plugin's IVenuePlugin is the engine's.
        Assert.Same(typeof(IVenuePlugin).Assembly, plugin.Plugin.GetType().GetInterfaces().Single(i => i.Name == nameof(IVenuePlugin)).Assembly);
        plugin.Unload();
    }

    [Fact]
    public void A_plugin_is_also_found_by_the_name_plugins_list_shows()
    {
        Assert.Equal(Path.GetFullPath(TestPaths.SimPluginDll), _loader.Resolve("sim", _dir));
        Assert.Equal(_loader.Resolve("ArbBot.Venues.Kalshi", _dir), _loader.Resolve("Kalshi", _dir)); // the folder name and the plugin's own name, any case
        Assert.Null(_loader.Resolve("no-such-venue", _dir));

        // A name not found once is looked for again: a plugin dropped in later under it is found (the test plugin calls itself "test").
        Assert.Null(_loader.Resolve("test", _dir));
        string later = TestPluginCompiler.Compile(_dir, "Acme.Later", version: 1);
        Assert.Equal(later, _loader.Resolve("test", _dir));
    }

    [Fact]
    public void Plugins_are_found_by_name_and_by_scanning()
    {
        TestPluginCompiler.Compile(_dir, "Acme.Venue", version: 1);
        Assert.Equal(Path.Combine(_dir, "Acme.Venue", "Acme.Venue.dll"), _loader.Resolve("Acme.Venue", "/"));
        Assert.Equal(TestPaths.SimPluginDll, _loader.Resolve("ArbBot.Venues.Sim", "/"));
        Assert.Null(_loader.Resolve("Nope", "/"));
        Assert.Contains(Path.Combine(_dir, "Acme.Venue", "Acme.Venue.dll"), _loader.Scan());
        Assert.Contains(TestPaths.SimPluginDll, _loader.Scan());
    }

    [Fact]
    public void An_unloaded_plugin_is_collected()
    {
        string dll = TestPluginCompiler.Compile(_dir, "Collectible", version: 1);
        WeakReference weak = LoadUseAndUnload(dll);
        Assert.True(TestPluginCompiler.CollectUntilDead(weak), "the plugin's load context was still alive after unloading and 20 GCs");
    }

    [Fact]
    public void A_dll_replaced_on_disk_loads_as_the_new_version()
    {
        string dll = TestPluginCompiler.Compile(_dir, "Swappable", version: 1);
        LoadedPlugin first = PluginLoader.Load(dll);
        TestPluginCompiler.Compile(_dir, "Swappable", version: 2); // the file is not locked: it was read into memory
        LoadedPlugin second = PluginLoader.Load(dll);
        Assert.Equal("1.0", first.Descriptor.Version);
        Assert.Equal("2.0", second.Descriptor.Version);
        Assert.NotEqual(first.FileHash, second.FileHash);
        first.Unload();
        second.Unload();
    }

    [Fact]
    public void Missing_file_is_named()
    {
        string missing = Path.Combine(_dir, "Gone", "Gone.dll");
        PluginLoadException ex = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(missing));
        Assert.Equal($"{missing}: file not found", ex.Message);
    }

    [Fact]
    public void Plugin_built_for_another_contract_major_is_refused()
    {
        string dll = TestPluginCompiler.Compile(_dir, "Old", version: 1, contractVersion: ContractInfo.Version + 98, contractMinor: 0);
        PluginLoadException ex = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(dll));
        Assert.Equal($"{dll}: built for contract version {ContractInfo.Version + 98}.0, but this engine speaks version {ContractInfo.Text}; rebuild the plugin", ex.Message);
    }

    [Fact]
    public void Plugin_built_for_a_newer_contract_minor_is_refused()
    {
        string dll = TestPluginCompiler.Compile(_dir, "Newer", version: 1, contractMinor: ContractInfo.Minor + 1);
        PluginLoadException ex = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(dll));
        Assert.Equal($"{dll}: built for contract version {ContractInfo.Version}.{ContractInfo.Minor + 1}, newer than this engine's {ContractInfo.Text}; upgrade the engine or build the plugin against {ContractInfo.Text}", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(null)] // the attribute of plugins built before minors existed
    public void Plugin_built_for_an_older_contract_minor_loads_and_gets_the_defaults(int? minor)
    {
        string dll = TestPluginCompiler.Compile(_dir, "Older" + (minor?.ToString(CultureInfo.InvariantCulture) ?? "None"), version: 1, contractMinor: minor);
        LoadedPlugin plugin = PluginLoader.Load(dll);
        Assert.Equal("test", plugin.Plugin.Descriptor.Name);
    }

    [Fact]
    public void A_plugin_that_can_neither_open_a_venue_nor_make_a_connector_is_refused()
    {
        string dll = TestPluginCompiler.Compile(_dir, "NoFactories", version: 1, withFactories: false);
        PluginLoadException ex = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(dll));
        Assert.Equal($"{dll}: entry type TestPlugins.TestPlugin implements neither IVenuePlugin.Open nor CreateConnector: it cannot open a venue", ex.Message);
    }

    [Fact]
    public void Assembly_without_the_plugin_attribute_is_refused()
    {
        string dll = TestPluginCompiler.Compile(_dir, "NoAttribute", version: 1, withAttribute: false);
        PluginLoadException ex = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(dll));
        Assert.Contains("has no [assembly: ArbBotPlugin(...)] attribute", ex.Message);
        Assert.StartsWith(dll, ex.Message);
    }

    [Fact]
    public void Assembly_that_is_not_an_arbbot_plugin_is_refused()
    {
        string dll = TestPluginCompiler.Compile(_dir, "Stranger", version: 1, withAttribute: false, referenceContract: false);
        PluginLoadException ex = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(dll));
        Assert.Equal($"{dll}: does not reference ArbBot.Abstractions; not an ArbBot plugin", ex.Message);
    }

    [Fact]
    public void File_that_is_not_an_assembly_is_refused()
    {
        string dir = Path.Combine(_dir, "Garbage");
        Directory.CreateDirectory(dir);
        string dll = Path.Combine(dir, "Garbage.dll");
        File.WriteAllText(dll, "this is not a PE file");
        PluginLoadException ex = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(dll));
        Assert.Equal($"{dll}: not a .NET assembly", ex.Message);
    }

    [Fact]
    public void Plugin_that_throws_while_starting_is_named_with_the_cause()
    {
        string dll = TestPluginCompiler.Compile(_dir, "Throws", version: 1, constructorBody: "throw new InvalidOperationException(\"no licence file\");");
        PluginLoadException ex = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(dll));
        Assert.Equal($"{dll}: entry type TestPlugins.TestPlugin threw while starting: no licence file", ex.Message);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadUseAndUnload(string dll)
    {
        LoadedPlugin plugin = PluginLoader.Load(dll);
        Assert.Equal("test", plugin.Descriptor.Name);
        return plugin.Unload();
    }
}
