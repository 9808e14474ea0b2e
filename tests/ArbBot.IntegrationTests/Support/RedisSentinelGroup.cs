using System.Globalization;

namespace ArbBot.IntegrationTests.Support;

/// <summary>
/// A primary, its replica and one Sentinel watching them (quorum 1, a primary is down after one
/// silent second), all real redis-server processes on loopback: what docs/redis.md tells an
/// operator to run, small. The Sentinel is redis-server in <c>--sentinel</c> mode (what Debian's
/// redis-sentinel package starts).
/// </summary>
internal sealed class RedisSentinelGroup : IDisposable
{
    private RedisSentinelGroup(string service, RedisServer primary, RedisServer replica, RedisServer sentinel)
    {
        Service = service;
        Primary = primary;
        Replica = replica;
        Sentinel = sentinel;
    }

    public string Service { get; }

    public RedisServer Primary { get; }

    public RedisServer Replica { get; }

    public RedisServer Sentinel { get; }

    /// <summary>The connection string an engine is configured with: the Sentinel and the service name.</summary>
    public string Connection => $"{Sentinel.Connection},serviceName={Service}";

    public static async Task<RedisSentinelGroup> StartAsync(string service, TimeSpan timeout, int? sentinelPort = null)
    {
        RedisServer primary = RedisServer.StartNew();
        RedisServer replica = RedisServer.StartNew(Ports.Free(), "--replicaof", "127.0.0.1", primary.Port.ToString(CultureInfo.InvariantCulture));
        string config = Path.Combine(TestPaths.NewTempDirectory("sentinel"), "sentinel.conf"); // the Sentinel rewrites its file
        File.WriteAllText(config, $"""
            sentinel monitor {service} 127.0.0.1 {primary.Port} 1
            sentinel down-after-milliseconds {service} 1000
            sentinel failover-timeout {service} 10000

            """);
        RedisServer sentinel = RedisServer.StartNew(sentinelPort ?? Ports.Free(), config, "--sentinel");
        var group = new RedisSentinelGroup(service, primary, replica, sentinel);
        bool ready = await EngineFixture.WaitUntil(() => Task.FromResult(
            replica.Cli("INFO", "replication").Any(l => l.Trim() == "master_link_status:up")
            && sentinel.Cli("SENTINEL", "replicas", service).Any(l => l.Trim() == $"127.0.0.1:{replica.Port}")), timeout);
        if (!ready)
        {
            group.Dispose();
            throw new InvalidOperationException("the replica did not sync or the Sentinel did not see it");
        }

        return group;
    }

    /// <summary>The port of the primary the Sentinel names now.</summary>
    public int PrimaryPortNow() =>
        Sentinel.Cli("SENTINEL", "get-master-addr-by-name", Service) is [_, string port] ? int.Parse(port, CultureInfo.InvariantCulture) : 0;

    public void Dispose()
    {
        Sentinel.Dispose();
        Replica.Dispose();
        Primary.Dispose();
    }
}
