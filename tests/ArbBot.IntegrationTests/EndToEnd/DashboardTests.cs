using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>
/// `arbbot dashboard` and `arbbot top` against a real redis-server fed by `arbbot run` on the sim
/// venues, all as processes; the page checked in a real browser (Debian's chromium driven by
/// playwright-core from npm, tests/node/dashboard-check.js).
/// </summary>
public sealed class DashboardTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private readonly string _dir = TestPaths.NewTempDirectory("dashboard");

    [Fact]
    public async Task The_page_shows_the_books_and_edges_in_Redis_and_its_kill_switch_halts_the_engine()
    {
        string node = Path.Combine(TestPaths.RepoRoot, "tests", "node");
        Assert.True(Directory.Exists(Path.Combine(node, "node_modules", "playwright-core")),
            "playwright-core is not installed: run the tests through tests/run.sh, which runs npm ci in tests/node");
        Assert.True(File.Exists("/usr/bin/chromium"), "chromium is not installed: run the tests through tests/run.sh, which installs Debian's chromium");
        using RedisServer redis = RedisServer.StartNew();
        string config = Config(redis);
        int port = Ports.Free();
        using ArbBotProcess run = ArbBotProcess.Start(_dir, "run", "--config", config, "--duration", "150s", "--no-watch-plugins");
        using ArbBotProcess dashboard = ArbBotProcess.Start(_dir, "dashboard", "--http", $"127.0.0.1:{port}", "--duration", "150s"); // the arbbot.yaml of its folder
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.True(await Ports.WaitForStatusAsync(http, "/", HttpStatusCode.OK, Generous), $"the dashboard never answered\n{dashboard.StandardError}");
        Assert.True(await WaitForEngineAsync(http), $"no engine status reached the dashboard\nrun:\n{run.StandardError}");

        // A kill request the dashboard cannot understand changes nothing.
        string csrf = Regex.Match(await http.GetStringAsync("/"), "name=\"arbbot-csrf\" content=\"(?<t>[0-9A-F]{64})\"").Groups["t"].Value;
        using var badRequest = new HttpRequestMessage(HttpMethod.Post, "/api/kill") { Content = new StringContent("{\"mode\":\"explode\"}", Encoding.UTF8, "application/json") };
        badRequest.Headers.Add("X-ArbBot-CSRF", csrf);
        using (HttpResponseMessage bad = await http.SendAsync(badRequest))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("mode must be halt, flatten or clear", await bad.Content.ReadAsStringAsync());
        }

        string resultsDir = Path.Combine(TestPaths.RepoRoot, "TestResults");
        Directory.CreateDirectory(resultsDir);
        string screenshot = Path.Combine(resultsDir, "dashboard.png");
        string[] screenshots = [Path.Combine(resultsDir, "dashboard-1280.png"), Path.Combine(resultsDir, "dashboard-2560.png")];
        foreach (string old in screenshots)
        {
            File.Delete(old);
        }

        (int code, string stdout, string stderr) = await NodeScript.RunAsync(Generous, "dashboard-check.js", $"http://127.0.0.1:{port}/", redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "dash", screenshot);
        Assert.True(code == 0, $"browser check failed (exit {code}):\n{stderr}\n{stdout}");
        using (JsonDocument result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]))
        {
            Assert.Equal(52, result.RootElement.GetProperty("rows").GetInt32()); // 26 pairs (20 events, 2 groups of 3 outcomes), a row per venue
            int edges = result.RootElement.GetProperty("edges").GetInt32();
            Assert.True(edges > 0 && edges == result.RootElement.GetProperty("expectedEdges").GetInt32(), result.RootElement.ToString());
            Assert.StartsWith("kill switch: halt", result.RootElement.GetProperty("kill").GetString());
            Assert.StartsWith("command 1: halt at ", result.RootElement.GetProperty("killAck").GetString());
            Assert.Equal(2, result.RootElement.GetProperty("filters").GetArrayLength());
            Assert.True(result.RootElement.GetProperty("times").GetInt32() > 0);
            Assert.Equal(screenshots, result.RootElement.GetProperty("screenshots").EnumerateArray().Select(e => e.GetString()));
        }

        foreach (string shot in screenshots)
        {
            Assert.True(new FileInfo(shot).Length > 20_000, $"the screenshot {shot} is missing or empty");
        }

        // The engine halted through its own kill switch, the one `arbbot kill` sets: it is in the state database.
        (code, stdout, _) = await ArbBotProcess.RunAsync(_dir, Generous, "kill", "--status", "--config", config);
        Assert.Equal(0, code);
        Assert.Contains("kill switch: halt", stdout);
        Assert.Contains("dashboard", stdout);

        // arbbot top shows the same engine and pairs in a terminal, finding the Redis of the
        // arbbot.yaml in the folder it runs in (no --config).
        Assert.Equal(_dir, Path.GetDirectoryName(config));
        (code, stdout, string topError) = await ArbBotProcess.RunAsync(_dir, Generous, "top", "--once");
        Assert.True(code == 0, topError);
        Assert.Contains("SIM-E01", stdout);
        Assert.Contains("dash-engine", stdout);
        Assert.Contains("sim-kalshi", stdout);
        Assert.Contains("halt", stdout);

        run.Interrupt();
        Assert.Equal(0, await run.WaitForExitAsync(Generous));
        dashboard.Interrupt();
        Assert.Equal(0, await dashboard.WaitForExitAsync(Generous));
    }

    [Fact]
    public async Task A_web_page_elsewhere_can_neither_fire_nor_release_the_kill_switch_nor_read_the_dashboard()
    {
        using RedisServer redis = RedisServer.StartNew();
        string config = Config(redis);
        int port = Ports.Free();
        using ArbBotProcess dashboard = ArbBotProcess.Start(_dir, "dashboard", "--config", config, "--http", $"127.0.0.1:{port}", "--duration", "90s");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.True(await Ports.WaitForStatusAsync(http, "/", HttpStatusCode.OK, Generous), $"the dashboard never answered\n{dashboard.StandardError}");
        string page = await http.GetStringAsync("/");
        string csrf = Regex.Match(page, "name=\"arbbot-csrf\" content=\"(?<t>[0-9A-F]{64})\"").Groups["t"].Value;
        Assert.Equal(64, csrf.Length);

        // What a page on another site can send without a preflight: a text/plain "simple" request.
        using (HttpResponseMessage plain = await http.PostAsync("/api/kill", new StringContent("{\"mode\":\"clear\"}", Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        }

        // JSON from another origin, and JSON without this run's CSRF token (a script that guessed the rest).
        Assert.Equal(HttpStatusCode.Forbidden, (await KillAsync(http, "clear", origin: "http://evil.example", csrf: csrf)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await KillAsync(http, "halt", origin: null, csrf: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await KillAsync(http, "halt", origin: null, csrf: new string('0', 64))).StatusCode);

        // DNS rebinding: a name that resolves to 127.0.0.1 reaches the port, but its Host is not loopback.
        using (var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/snapshot"))
        {
            rebound.Headers.Host = $"evil.example:{port}";
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(rebound)).StatusCode);
        }

        // The dashboard's own page: same origin, JSON, its token.
        using (HttpResponseMessage own = await KillAsync(http, "halt", origin: $"http://127.0.0.1:{port}", csrf: csrf))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Contains("\"mode\":\"halt\"", await own.Content.ReadAsStringAsync());
        }

        dashboard.Interrupt();
        Assert.Equal(0, await dashboard.WaitForExitAsync(Generous));
    }

    private static Task<HttpResponseMessage> KillAsync(HttpClient http, string mode, string? origin, string? csrf)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/kill") { Content = new StringContent($"{{\"mode\":\"{mode}\"}}", Encoding.UTF8, "application/json") };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (csrf is not null)
        {
            request.Headers.Add("X-ArbBot-CSRF", csrf);
        }

        return http.SendAsync(request);
    }

    [Fact]
    public async Task Off_loopback_the_dashboard_needs_a_token_on_every_request()
    {
        using RedisServer redis = RedisServer.StartNew();
        string config = Config(redis);
        string tokenEnv = "ARBBOT_TEST_DASH_TOKEN_" + Guid.NewGuid().ToString("N");
        int port = Ports.Free();
        (int code, _, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "dashboard", "--config", config, "--http", $"0.0.0.0:{port}", "--http-token-env", tokenEnv, "--duration", "1s");
        Assert.Equal(2, code);
        Assert.Contains($"is not a loopback address: set a token in {tokenEnv}", stderr);

        Environment.SetEnvironmentVariable(tokenEnv, "dash-s3cret");
        try
        {
            using ArbBotProcess dashboard = ArbBotProcess.Start(_dir, "dashboard", "--config", config, "--http", $"0.0.0.0:{port}", "--http-token-env", tokenEnv, "--duration", "60s");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.True(await Ports.WaitForStatusAsync(http, "/", HttpStatusCode.Unauthorized, Generous), dashboard.StandardError);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/api/kill", new StringContent("{\"mode\":\"halt\"}"))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/?token=wrong")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/?token=dash-s3cret")).StatusCode);
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "dash-s3cret");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/snapshot")).StatusCode);
            dashboard.Interrupt();
            Assert.Equal(0, await dashboard.WaitForExitAsync(Generous));
        }
        finally
        {
            Environment.SetEnvironmentVariable(tokenEnv, null);
        }
    }

    /// <summary>
    /// The shipped default config on this Redis, with its own state database and strategies from the
    /// repo, books that move a few times a second (the browser check compares the page with Redis
    /// exactly: at 200 updates a second some book always moves between the two reads), and orders
    /// too small for risk to let any through (the page shows opportunities; the kill switch is the test's to engage).
    /// </summary>
    private string Config(RedisServer redis)
    {
        string yaml = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"))
            .Replace("updates_per_second: \"200\"", "updates_per_second: \"2\"")
            .Replace("max_order_usd: \"100\"", "max_order_usd: \"0.01\"") // nothing trades: orders would take the slow books' liquidity, and a legged group with none left to unwind halts the engine
            .Replace("id: local-1", "id: dash-engine")
            .Replace("state_db: .arbbot/arbbot.db", "state_db: state/arbbot.db")
            .Replace("connection: localhost:6379", $"connection: {redis.Connection}")
            .Replace("key_prefix: arb", "key_prefix: dash")
            .Replace("file: strategies/", $"file: {Path.Combine(TestPaths.RepoRoot, "strategies")}/");
        string path = Path.Combine(_dir, "arbbot.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static async Task<bool> WaitForEngineAsync(HttpClient http)
    {
        DateTime deadline = DateTime.UtcNow + Generous;
        while (DateTime.UtcNow < deadline)
        {
            string snapshot = await http.GetStringAsync("/api/snapshot");
            if (snapshot.Contains("\"pairs\":[{", StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }
}
