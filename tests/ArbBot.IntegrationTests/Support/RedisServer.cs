using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace ArbBot.IntegrationTests.Support;

/// <summary>
/// A real redis-server of the test's own, on a free loopback port, without persistence, that the
/// test can stop and start again (tests/run.sh installs redis-server from Debian's packages).
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private readonly string[] _extraArguments;
    private Process? _process;

    private RedisServer(int port, string[] extraArguments)
    {
        Port = port;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    public string Connection => $"127.0.0.1:{Port}";

    public static RedisServer StartNew() => StartNew(Ports.Free());

    /// <summary>A server on a given port with more arguments (<c>--replicaof</c>, <c>--cluster-enabled</c>, <c>--sentinel</c> with a config file first).</summary>
    public static RedisServer StartNew(int port, params string[] extraArguments)
    {
        var server = new RedisServer(port, extraArguments);
        server.Start();
        return server;
    }

    /// <summary>A server object on a free port that is not running yet.</summary>
    public static RedisServer NotStarted() => new(Ports.Free(), []);

    public void Start()
    {
        string binary = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A config file (a sentinel's) must come first; the rest are options.
        string[] configFile = _extraArguments.Length > 0 && !_extraArguments[0].StartsWith("--", StringComparison.Ordinal) ? [_extraArguments[0]] : [];
        foreach (string arg in configFile.Concat(["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"])
            .Concat(_extraArguments.Skip(configFile.Length)))
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            _process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run the tests through tests/run.sh, which installs it (apt-get install redis-server)", ex);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Answers())
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not start");
            }

            Thread.Sleep(50);
        }
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open, nothing is answered, as a hung or swapped-out Redis.</summary>
    public void Pause() => Signal("-STOP");

    /// <summary>Lets a paused server run again (SIGCONT).</summary>
    public void Resume() => Signal("-CONT");

    private void Signal(string signal)
    {
        using Process kill = Process.Start("kill", [signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>A client for checking what the engine wrote.</summary>
    public ConnectionMultiplexer Client() => ConnectionMultiplexer.Connect($"{Connection},abortConnect=false,connectTimeout=2000");

    /// <summary>Runs redis-cli against this server and returns its output lines.</summary>
    public string[] Cli(params string[] args)
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-p");
        info.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process cli = Process.Start(info)!;
        string output = cli.StandardOutput.ReadToEnd();
        cli.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public void Dispose() => Stop();

    private bool Answers()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using NetworkStream stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            int read = stream.Read(buffer);
            return read > 0 && buffer[0] == (byte)'+';
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
