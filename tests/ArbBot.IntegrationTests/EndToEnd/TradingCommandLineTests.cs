using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>`arbbot run` paper-trading the sim venues, `arbbot report fills` and `arbbot kill`, run as processes.</summary>
public sealed partial class TradingCommandLineTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private readonly string _dir = TestPaths.NewTempDirectory("cli-trading");

    [Fact]
    public async Task Run_paper_trades_the_sim_venues_and_report_fills_summarises_the_log()
    {
        // The shipped config and strategies, with more fair-value jumps so a short run surely trades.
        string config = CopyDefaultConfig(yaml => yaml.Replace("jumps_per_minute: \"10\"", "jumps_per_minute: \"90\""));
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", config, "--duration", "25s");
        Assert.True(code == 0, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");

        string last = stdout.TrimEnd().Split('\n')[^1];
        Match attempts = AttemptsLine().Match(last);
        Assert.True(attempts.Success, last);
        Assert.True(long.Parse(attempts.Groups["n"].Value, CultureInfo.InvariantCulture) > 0, $"no attempts in 25 s: {last}");
        Assert.Contains("trading", stdout);
        Assert.Contains("paper; orders via sim-kalshi simulator, sim-poly simulator", stdout);
        Assert.Contains("legged episodes", stdout);
        Assert.Matches(@"unhedged \$0\.00 \(max", last); // flat at the end: every legged episode was resolved
        Assert.True(File.Exists(Path.Combine(_dir, "state", "arbbot.db")));

        (code, stdout, stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "report", "fills", "--config", config);
        Assert.True(code == 0, $"exit {code}\n{stderr}");
        foreach (string title in new[] { "attempts", "fill rates", "edge of fully filled two-leg attempts", "legged episodes", "alerts" })
        {
            Assert.Contains(title, stdout);
        }

        Assert.Contains("sim-kalshi", stdout);
        Assert.Contains("dutch_book", stdout);
    }

    [Fact]
    public async Task Run_serves_health_and_metrics_and_health_turns_503_on_the_kill_switch()
    {
        string config = CopyDefaultConfig(yaml => yaml);
        int port = Ports.Free();
        using ArbBotProcess run = ArbBotProcess.Start(_dir, "run", "--config", config, "--duration", "60s", "--http", $"127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        // Healthy once both sim venues are connected with every book snapshotted.
        Assert.True(await WaitForStatusAsync(http, "/health", HttpStatusCode.OK), $"never healthy\n{run.StandardError}");
        Assert.Contains("\"status\":\"ok\"", await http.GetStringAsync("/health"));
        // /metrics as a Prometheus server reads it: parsed by a parser nobody on the project wrote.
        string page = Path.Combine(_dir, "metrics.txt");
        File.WriteAllText(page, await http.GetStringAsync("/metrics"));
        (int parsed, string json, string parseError) = await NodeScript.RunAsync(Generous, "prometheus-parse.mjs", page);
        Assert.True(parsed == 0, parseError);
        using (JsonDocument families = JsonDocument.Parse(json))
        {
            Dictionary<string, JsonElement> byName = families.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
            Assert.All(byName.Values.SelectMany(f => f.GetProperty("metrics").EnumerateArray()), m => Assert.True(double.TryParse(m.GetProperty("value").GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out _), m.ToString()));
            Assert.Equal("COUNTER", byName["arbbot_book_updates_total"].GetProperty("type").GetString());
            Assert.True(long.Parse(Sample(byName["arbbot_book_updates_total"], "venue", "sim-kalshi") ?? "0", CultureInfo.InvariantCulture) > 0);
            Assert.Equal("1", Sample(byName["arbbot_venue_connected"], "venue", "sim-poly"));
            Assert.Equal("GAUGE", byName["arbbot_latency_p99_microseconds"].GetProperty("type").GetString());
            Assert.NotNull(Sample(byName["arbbot_opportunities_total"], "strategy", "basket"));
            Assert.Equal("GAUGE", byName["arbbot_exposure_unhedged_usd"].GetProperty("type").GetString());
            Assert.Contains("service_name=\"arbbot\"", File.ReadAllText(page), StringComparison.Ordinal);
        }

        // The kill switch makes the engine unhealthy, saying why.
        (int code, _, _) = await ArbBotProcess.RunAsync(_dir, Generous, "kill", "--config", config, "--reason", "ops test");
        Assert.Equal(0, code);
        Assert.True(await WaitForStatusAsync(http, "/health", HttpStatusCode.ServiceUnavailable), "the kill switch did not show in /health");
        HttpResponseMessage unhealthy = await http.GetAsync("/health");
        Assert.Contains("kill switch: halt", await unhealthy.Content.ReadAsStringAsync());
        run.Interrupt();
        Assert.Equal(0, await run.WaitForExitAsync(Generous));
        await ArbBotProcess.RunAsync(_dir, Generous, "kill", "--config", config, "--clear");
    }

    [Fact]
    public async Task Http_on_a_non_loopback_address_needs_a_token_and_checks_it_on_every_request()
    {
        string config = CopyDefaultConfig(yaml => yaml);
        string tokenEnv = "ARBBOT_TEST_HTTP_TOKEN_" + Guid.NewGuid().ToString("N");
        int port = Ports.Free();
        (int code, _, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", config, "--duration", "1s", "--http", $"0.0.0.0:{port}", "--http-token-env", tokenEnv);
        Assert.Equal(2, code);
        Assert.Contains($"--http 0.0.0.0:{port} is not a loopback address: set a token in {tokenEnv}", stderr);

        Environment.SetEnvironmentVariable(tokenEnv, "s3cret-token"); // the arbbot process inherits it
        try
        {
            using ArbBotProcess run = ArbBotProcess.Start(_dir, "run", "--config", config, "--duration", "60s", "--http", $"0.0.0.0:{port}", "--http-token-env", tokenEnv);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.True(await WaitForStatusAsync(http, "/metrics", HttpStatusCode.Unauthorized), $"no answer\n{run.StandardError}");
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/health")).StatusCode);
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret-token");
            Assert.True(await WaitForStatusAsync(http, "/health", HttpStatusCode.OK), $"never healthy with the token\n{run.StandardError}");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode);
            Assert.DoesNotContain("s3cret-token", run.StandardOutput + run.StandardError);
            run.Interrupt();
            Assert.Equal(0, await run.WaitForExitAsync(Generous));
        }
        finally
        {
            Environment.SetEnvironmentVariable(tokenEnv, null);
        }
    }

    private static Task<bool> WaitForStatusAsync(HttpClient http, string path, HttpStatusCode status) =>
        Ports.WaitForStatusAsync(http, path, status, TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Kill_engages_shows_its_status_and_clears()
    {
        string config = CopyDefaultConfig(yaml => yaml);
        (int code, string stdout, _) = await ArbBotProcess.RunAsync(_dir, Generous, "kill", "--config", config, "--reason", "lunch");
        Assert.Equal(0, code);
        Assert.Contains("kill switch engaged (halt)", stdout);

        (code, stdout, _) = await ArbBotProcess.RunAsync(_dir, Generous, "kill", "--config", config, "--status");
        Assert.Equal(0, code);
        Assert.Matches(@"kill switch: halt since .* by cli: lunch", stdout);

        (code, stdout, _) = await ArbBotProcess.RunAsync(_dir, Generous, "kill", "--config", config, "--flatten");
        Assert.Equal(0, code);
        (_, stdout, _) = await ArbBotProcess.RunAsync(_dir, Generous, "kill", "--config", config, "--status");
        Assert.Contains("kill switch: flatten", stdout);

        // An engine started now stays halted: the switch survives restarts until cleared.
        (code, stdout, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", config, "--duration", "3s", "--no-watch-strategies", "--no-watch-plugins");
        Assert.Equal(0, code);
        Assert.Contains("kill switch is engaged (flatten, by cli", stderr);
        Assert.Contains("kill flatten by cli", stdout.TrimEnd().Split('\n')[^1]);

        (code, stdout, _) = await ArbBotProcess.RunAsync(_dir, Generous, "kill", "--config", config, "--clear");
        Assert.Equal(0, code);
        Assert.Contains("kill switch cleared", stdout);
        (_, stdout, _) = await ArbBotProcess.RunAsync(_dir, Generous, "kill", "--config", config, "--status");
        Assert.Contains("kill switch: off", stdout);

        (code, _, stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "kill", "--config", config, "--flatten", "--clear");
        Assert.Equal(2, code);
        Assert.Contains("cannot be used together", stderr);
    }

    [Fact]
    public async Task Report_without_a_fill_log_says_where_it_looked()
    {
        string config = CopyDefaultConfig(yaml => yaml);
        (int code, _, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "report", "fills", "--config", config);
        Assert.Equal(1, code);
        Assert.Contains(Path.Combine(_dir, "state", "arbbot.db"), stderr);
        Assert.Contains("no fill log here yet", stderr);
    }

    /// <summary>The shipped arbbot.yaml and strategies in a temp folder, with state and cache kept there too.</summary>
    [Fact]
    public async Task Run_pushes_its_metrics_over_otlp_to_a_collector_when_configured()
    {
        // A collector stand-in: takes OTLP/HTTP posts to /v1/metrics and keeps them.
        await using OtlpCollectorStandIn collector = await OtlpCollectorStandIn.StartAsync();
        string config = CopyDefaultConfig(yaml => yaml + $"\nmetrics:\n  otlp_endpoint: {collector.Url}\n  otlp_interval: 500ms\n");
        (int code, _, string stderr) = await ArbBotProcess.RunUntilAsync(_dir, _ => collector.Received(b => b.Contains("arbbot.book.updates", StringComparison.Ordinal) && b.Contains("sim-kalshi", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(120), "run", "--config", config);
        Assert.True(code == 0, $"exit {code}\n{stderr}");

        // Protobuf over HTTP, the meter's instruments by name, and who sent them (the engine id as the service instance).
        OtlpCollectorStandIn.Post post = collector.Posts.First(p => p.Body.Contains("arbbot.book.updates", StringComparison.Ordinal));
        Assert.Equal(("/v1/metrics", "application/x-protobuf"), (post.Path, post.ContentType));
        Assert.Contains("ArbBot.Engine", post.Body, StringComparison.Ordinal);
        Assert.Contains("arbbot.opportunities", post.Body, StringComparison.Ordinal);
        Assert.Contains("local-1", post.Body, StringComparison.Ordinal);
        Assert.Contains($"pushing metrics to {collector.Url}v1/metrics every 00:00:00.5000000", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_otlp_endpoint_is_refused_naming_file_and_line()
    {
        string config = CopyDefaultConfig(yaml => yaml + "\nmetrics:\n  otlp_endpoint: \"ftp://user:pw@collector\"\n");
        (int code, _, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", config, "--duration", "1s");
        Assert.Equal(2, code);
        Assert.Contains($"{config}:", stderr, StringComparison.Ordinal);
        Assert.Contains("metrics.otlp_endpoint must be an http or https URL without credentials", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", stderr.Replace("\"ftp://user:pw@collector\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static string? Sample(JsonElement family, string label, string value) =>
        family.GetProperty("metrics").EnumerateArray()
            .Where(m => m.TryGetProperty("labels", out JsonElement labels) && labels.TryGetProperty(label, out JsonElement v) && v.GetString() == value)
            .Select(m => m.GetProperty("value").GetString())
            .FirstOrDefault();

    private string CopyDefaultConfig(Func<string, string> edit)
    {
        string strategies = Path.Combine(_dir, "strategies");
        Directory.CreateDirectory(Path.Combine(strategies, "lib"));
        foreach (string file in Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "strategies"), "*.csx", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(strategies, Path.GetRelativePath(Path.Combine(TestPaths.RepoRoot, "strategies"), file)), overwrite: true);
        }

        string yaml = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"));
        Assert.Contains("state_db: .arbbot/arbbot.db", yaml);
        yaml = edit(yaml.Replace("state_db: .arbbot/arbbot.db", "state_db: state/arbbot.db").Replace("enabled: true", "enabled: false"));
        string path = Path.Combine(_dir, "arbbot.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [GeneratedRegex(@"attempts (?<n>\d+) \(")]
    private static partial Regex AttemptsLine();
}
