using System.Diagnostics;
using System.Globalization;

namespace ArbBot.IntegrationTests.Support;

/// <summary>
/// A Redis Cluster of primaries only, real redis-server processes on loopback, formed with
/// <c>redis-cli --cluster create</c> as docs/redis.md shows.
/// </summary>
internal sealed class RedisClusterNodes : IDisposable
{
    private RedisClusterNodes(IReadOnlyList<RedisServer> nodes)
    {
        Nodes = nodes;
    }

    public IReadOnlyList<RedisServer> Nodes { get; }

    /// <summary>The connection string an engine is configured with: every node.</summary>
    public string Connection => string.Join(",", Nodes.Select(n => n.Connection));

    public static async Task<RedisClusterNodes> StartAsync(int count, TimeSpan timeout)
    {
        string dir = TestPaths.NewTempDirectory("cluster");
        var nodes = new List<RedisServer>();
        var cluster = new RedisClusterNodes(nodes);
        try
        {
            for (int i = 0; i < count; i++)
            {
                int port = BusablePort();
                nodes.Add(RedisServer.StartNew(port, "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(dir, $"nodes-{port}.conf"),
                    "--cluster-node-timeout", "5000", "--dir", dir));
            }

            var create = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            create.ArgumentList.Add("--cluster");
            create.ArgumentList.Add("create");
            foreach (RedisServer node in nodes)
            {
                create.ArgumentList.Add(node.Connection);
            }

            create.ArgumentList.Add("--cluster-replicas");
            create.ArgumentList.Add("0");
            create.ArgumentList.Add("--cluster-yes");

            using (Process process = Process.Start(create)!)
            {
                Task<string> output = process.StandardOutput.ReadToEndAsync();
                Task<string> errors = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"redis-cli --cluster create failed: {await output}{await errors}");
                }
            }

            if (!await EngineFixture.WaitUntil(() => Task.FromResult(nodes.All(n => n.Cli("CLUSTER", "INFO").Any(l => l.Trim() == "cluster_state:ok"))), timeout))
            {
                throw new InvalidOperationException("the cluster did not reach cluster_state:ok");
            }

            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>A free port whose cluster bus port (port + 10000) is free too.</summary>
    private static int BusablePort()
    {
        while (true)
        {
            int port = Ports.Free();
            if (port + 10_000 <= 65_535 && PortIsFree(port + 10_000))
            {
                return port;
            }
        }
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>How many keys each node holds.</summary>
    public IReadOnlyList<long> KeysPerNode() => Nodes.Select(n => long.Parse(n.Cli("DBSIZE").Single(), CultureInfo.InvariantCulture)).ToList();

    public void Dispose()
    {
        foreach (RedisServer node in Nodes)
        {
            node.Dispose();
        }
    }
}
