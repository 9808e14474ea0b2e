using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Books;
using ArbBot.Engine.Kernel;
using ArbBot.Venues.Polymarket.Config;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.Tests.Venues;

/// <summary>The Polymarket trading settings that guard the wire: the funder as written (checksum checked), signature type 1271 refused, heartbeat interval bounds.</summary>
public sealed class PolymarketTradingSettingsTests : IDisposable
{
    private const string KeyEnv = "ARBBOT_TEST_POLY_TRADING_KEY";

    public PolymarketTradingSettingsTests() =>
        Environment.SetEnvironmentVariable(KeyEnv, "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    public void Dispose() => Environment.SetEnvironmentVariable(KeyEnv, null);

    [Theory]
    [InlineData("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48")] // all lower case: no checksum to check
    [InlineData("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")] // its EIP-55 form
    public void The_funder_goes_to_the_venue_as_it_is_written(string funder)
    {
        PolymarketTradingSettings settings = Parse(new() { ["funder_address"] = funder, ["signature_type"] = "safe" });
        Assert.Equal(funder, settings.Funder);
    }

    [Fact]
    public void A_mixed_case_funder_whose_checksum_fails_is_refused_as_a_typo()
    {
        var error = Assert.Throws<VenueSettingException>(() => Parse(new() { ["funder_address"] = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB4A", ["signature_type"] = "safe" }));
        Assert.Equal("funder_address", error.Key);
        Assert.Contains("checksum does not hold", error.Message);
    }

    [Theory]
    [InlineData("signature_type", "1271", "ERC-7739")]
    [InlineData("heartbeat_interval_ms", "50", "from 100 to 60000")]
    public void Settings_the_plugin_cannot_honour_are_refused_naming_the_key(string key, string value, string expected)
    {
        var error = Assert.Throws<VenueSettingException>(() => Parse(new() { [key] = value }));
        Assert.Equal(key, error.Key);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_key_file_other_users_can_read_is_refused_as_ssh_refuses_one()
    {
        string file = Path.Combine(Path.GetTempPath(), $"arbbot-poly-key-{Guid.NewGuid():N}.key");
        File.WriteAllText(file, "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        try
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var settings = new Dictionary<string, string> { ["private_key_env"] = "ARBBOT_TEST_UNSET_" + Guid.NewGuid().ToString("N"), ["private_key_file"] = file };
            var error = Assert.Throws<VenueSettingException>(() => Parse(settings, keepKeyEnv: true));
            Assert.Equal("private_key_file", error.Key);
            Assert.Contains($"chmod 600 {file}", error.Message);
            Assert.Contains("mode 0644", error.Message);

            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Equal("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", Parse(settings, keepKeyEnv: true).Key.Address);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static PolymarketTradingSettings Parse(Dictionary<string, string> settings, bool keepKeyEnv = false)
    {
        if (!keepKeyEnv)
        {
            settings["private_key_env"] = KeyEnv;
        }

        var sink = new VenueEventSink(new EngineKernel(new BookStore(), 16, TimeSpan.FromSeconds(1), NullLogger.Instance), 0);
        return PolymarketTradingSettings.Parse(new VenueContext("polymarket", settings, sink, sink, new SilentLog(), TimeProvider.System));
    }

    private sealed class SilentLog : IPluginLog
    {
        public void Info(string message)
        {
        }

        public void Warn(string message)
        {
        }

        public void Error(string message, Exception? exception = null)
        {
        }
    }
}
