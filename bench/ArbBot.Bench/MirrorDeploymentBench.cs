using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ArbBot.Engine.Mirror;

namespace ArbBot.Bench;

/// <summary>
/// The Redis mirror on the deployments of docs/redis.md at 100,000 book changes per second in all:
/// three engines (three kernels and mirrors, a third of the changes each) on one redis-server, and
/// one engine on a three-node Redis Cluster. Prints each engine's mirror lag p50/p99.
/// </summary>
internal static class MirrorDeploymentBench
{
    private const int Rate = 100_000;
    private const int Markets = 100;

    public static int Run(string outputDirectory, int seconds = 8)
    {
        if (!File.Exists("/usr/bin/redis-server"))
        {
            Console.WriteLine("redis deployments: skipped, no redis-server (apt-get install redis-server)");
            return 0;
        }

        var results = new List<object>();
        string dir = Directory.CreateTempSubdirectory("arbbot-bench-redis").FullName;
        var servers = new List<Process>();
        try
        {
            int single = MirrorBench.FreePort();
            servers.Add(Server(single, dir));
            MirrorBench.WaitForRedis(single);
            Console.WriteLine($"redis mirror, three engines on one redis-server, {Rate:N0} changes/s in all ({Rate / 3:N0} each, {Markets} markets each), {seconds} s");
            var engines = Enumerable.Range(1, 3).Select(i => Task.Run(() =>
                MirrorBench.Drive($"127.0.0.1:{single}", () => MirrorBench.TotalCommands(single), Rate / 3, Markets, seconds, $"bench-three-{i}"))).ToArray();
            Task.WaitAll(engines);
            for (int i = 0; i < engines.Length; i++)
            {
                (MirrorStatus status, double commands, double offered) = engines[i].Result;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  engine {i + 1}: {offered:N0} changes/s achieved: lag p50 {status.LagP50Ms,6:0.00} ms  p99 {status.LagP99Ms,6:0.00} ms  book writes {status.WritesPerSecond:N0}/s"));
                results.Add(new { benchmark = "redis_mirror_three_engines", engine = i + 1, changes_per_second = Rate / 3, achieved = Math.Round(offered), lag_p50_ms = Math.Round(status.LagP50Ms, 3), lag_p99_ms = Math.Round(status.LagP99Ms, 3) });
            }

            int[] nodes = Enumerable.Range(0, 3).Select(_ => ClusterPort()).ToArray();
            foreach (int port in nodes)
            {
                servers.Add(Server(port, dir, "--cluster-enabled yes", $"--cluster-config-file nodes-{port}.conf"));
                MirrorBench.WaitForRedis(port);
            }

            CreateCluster(nodes);
            string connection = string.Join(",", nodes.Select(p => $"127.0.0.1:{p}"));
            Console.WriteLine($"redis mirror, one engine on a three-node Redis Cluster, {Rate:N0} changes/s ({Markets} markets), {seconds} s");
            (MirrorStatus clustered, double clusterCommands, double clusterOffered) = MirrorBench.Drive(connection, () => nodes.Sum(MirrorBench.TotalCommands), Rate, Markets, seconds, "bench-cluster");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {clusterOffered:N0} changes/s achieved: lag p50 {clustered.LagP50Ms,6:0.00} ms  p99 {clustered.LagP99Ms,6:0.00} ms  book writes {clustered.WritesPerSecond:N0}/s  cluster {clusterCommands:N0} commands/s"));
            results.Add(new { benchmark = "redis_mirror_cluster", nodes = nodes.Length, changes_per_second = Rate, achieved = Math.Round(clusterOffered), lag_p50_ms = Math.Round(clustered.LagP50Ms, 3), lag_p99_ms = Math.Round(clustered.LagP99Ms, 3), redis_commands_per_second = Math.Round(clusterCommands) });

            Directory.CreateDirectory(outputDirectory);
            string file = Path.Combine(outputDirectory, "mirror-deployments.json");
            File.WriteAllText(file, JsonSerializer.Serialize(results, BenchJson.Indented));
            Console.WriteLine($"  written  {file}");
            return 0;
        }
        finally
        {
            foreach (Process server in servers)
            {
                server.Kill();
                server.Dispose();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private static Process Server(int port, string dir, params string[] more) =>
        Process.Start(new ProcessStartInfo("/usr/bin/redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --dir {dir} {string.Join(" ", more)}")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;

    // A cluster node also listens on its port + 10000 (the cluster bus).
    private static int ClusterPort()
    {
        while (true)
        {
            int port = MirrorBench.FreePort();
            if (port + 10_000 <= 65_535)
            {
                return port;
            }
        }
    }

    private static void CreateCluster(int[] nodes)
    {
        using Process create = Process.Start(new ProcessStartInfo("redis-cli",
            $"--cluster create {string.Join(" ", nodes.Select(p => $"127.0.0.1:{p}"))} --cluster-replicas 0 --cluster-yes")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        create.StandardOutput.ReadToEnd();
        create.WaitForExit();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            using Process info = Process.Start(new ProcessStartInfo("redis-cli", $"-p {nodes[0]} cluster info") { RedirectStandardOutput = true, UseShellExecute = false })!;
            if (info.StandardOutput.ReadToEnd().Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return;
            }

            Thread.Sleep(200);
        }

        throw new InvalidOperationException("the cluster did not reach cluster_state:ok");
    }
}
