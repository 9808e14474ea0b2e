using System.Runtime.CompilerServices;
using ArbBot.Abstractions.Plugins;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ArbBot.IntegrationTests.Support;

/// <summary>
/// Builds real plugin DLLs for tests with Roslyn: a small venue plugin whose behaviour and
/// version the test chooses, compiled against the real ArbBot.Abstractions, written to
/// <c>{dir}/{name}/{name}.dll</c> exactly as a third-party plugin would be installed.
/// </summary>
internal static class TestPluginCompiler
{
    public const string DefaultBody = """
        public sealed class TestConnector : IVenueConnector
        {
            private readonly VenueContext _context;
            public TestConnector(VenueContext context) { _context = context; }
            public BookStyle BookStyle => BookStyle.TwoSided;
            public Task ConnectAsync(CancellationToken ct) { _context.Books.OnVenueStatus(VenueStatus.Connected, "test plugin " + TestPlugin.VersionText); return Task.CompletedTask; }
            public Task SubscribeAsync(IReadOnlyList<MarketSubscription> markets, CancellationToken ct)
            {
                foreach (var m in markets)
                {
                    // The size at the YES bid is the plugin's version, so a test can see which version is live.
                    var level = new PriceLevel(Price.Parse("0.40"), Quantity.FromContracts(TestPlugin.VersionNumber));
                    _context.Books.OnBookSnapshot(new BookSnapshot(m.Handle, 0, 0, 0, new[] { level }, Array.Empty<PriceLevel>(), Array.Empty<PriceLevel>(), Array.Empty<PriceLevel>()));
                }
                return Task.CompletedTask;
            }
            public void RequestSnapshot(MarketHandle market, string reason) { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
        """;

    public static string Compile(
        string directory,
        string name,
        int version,
        int contractVersion = ContractInfo.Version,
        int? contractMinor = ContractInfo.Minor,
        string constructorBody = "",
        bool withAttribute = true,
        bool referenceContract = true,
        string createConnectorBody = "",
        bool withFactories = true)
    {
        string versions = contractMinor is { } minor ? $"{contractVersion}, {minor}" : $"{contractVersion}"; // no minor: the attribute of plugins built before minors
        string factories = withFactories
            ? $$"""
                public IVenueConnector CreateConnector(VenueContext context) { {{createConnectorBody}} return new TestConnector(context); }
                public IOrderExecutor CreateExecutor(VenueContext context) => null;
            """
            : "";
        string attribute = withAttribute ? $"[assembly: ArbBotPlugin(typeof(TestPlugins.TestPlugin), {versions})]" : "";
        string source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using ArbBot.Abstractions.Events;
            using ArbBot.Abstractions.FixedPoint;
            using ArbBot.Abstractions.Markets;
            using ArbBot.Abstractions.Orders;
            using ArbBot.Abstractions.Plugins;

            {{attribute}}

            namespace TestPlugins;

            public sealed class TestPlugin : IVenuePlugin
            {
                public const int VersionNumber = {{version}};
                public const string VersionText = "{{version}}.0";
                public TestPlugin() { {{constructorBody}} }
                public PluginDescriptor Descriptor { get; } = new("test", VersionText, "test plugin", VenueCapabilities.BookStream, new PluginSetting[] { new("color", "a test setting", "blue") });
            {{factories}}
            }

            {{DefaultBody}}
            """;

        if (!referenceContract)
        {
            source = "namespace TestPlugins; public sealed class NotAPlugin { }";
        }

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        if (referenceContract)
        {
            references.Add(MetadataReference.CreateFromFile(typeof(IVenuePlugin).Assembly.Location));
        }

        CSharpCompilation compilation = CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));

        string pluginDir = Path.Combine(directory, name);
        Directory.CreateDirectory(pluginDir);
        string dll = Path.Combine(pluginDir, name + ".dll");
        using (var stream = new MemoryStream())
        {
            Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(stream);
            if (!result.Success)
            {
                throw new InvalidOperationException("test plugin did not compile: " + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            }

            // Write in place, the way a build overwrites a plugin the engine is running.
            File.WriteAllBytes(dll, stream.ToArray());
        }

        return dll;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool CollectUntilDead(WeakReference weak)
    {
        for (int i = 0; i < 20 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(20);
        }

        return !weak.IsAlive;
    }
}
