using System.Diagnostics;
using System.Text;

namespace ArbBot.IntegrationTests.Support;

/// <summary>Runs the built <c>arbbot</c> command as a user would, capturing its output.</summary>
internal sealed class ArbBotProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ArbBotProcess(Process process)
    {
        _process = process;
    }

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public int Id => _process.Id;

    public static ArbBotProcess Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(OperatingSystem.IsWindows() ? "dotnet" : "perl")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Tests started in the background by a non-interactive shell inherit SIGINT ignored,
            // and an ignored signal stays ignored across exec (the runtime then never sees it):
            // reset it, so Interrupt() is what a user's Ctrl+C is. Perl is in every Debian (perl-base).
            info.ArgumentList.Add("-e");
            info.ArgumentList.Add("$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec @ARGV: $!\\n\";");
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(TestPaths.ArbBotDll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ARBBOT_LOG_DIR"] = Path.Combine(workingDirectory, "logs");
        var process = new Process { StartInfo = info };
        var runner = new ArbBotProcess(process);
        process.OutputDataReceived += (_, e) => Append(runner._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(runner._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using ArbBotProcess p = Start(workingDirectory, args);
        int code = await p.WaitForExitAsync(timeout);
        return (code, p.StandardOutput, p.StandardError);
    }

    /// <summary>
    /// Runs a command that would run forever until <paramref name="enough"/> holds (checked on its
    /// output and whatever else the test watches), then stops it with Ctrl+C, as a user would, and
    /// waits for its final summary. A test that needs "N things happened" waits for them rather
    /// than for a duration a busy machine may not fill. Gives up waiting after
    /// <paramref name="timeout"/> and stops it all the same: the test's assertions say what was missing.
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunUntilAsync(string workingDirectory, Func<ArbBotProcess, bool> enough, TimeSpan timeout, params string[] args)
    {
        using ArbBotProcess p = Start(workingDirectory, args);
        await EngineFixture.WaitUntil(() => Task.FromResult(p._process.HasExited || enough(p)), timeout);
        if (!p._process.HasExited)
        {
            p.Interrupt();
        }

        int code = await p.WaitForExitAsync(TimeSpan.FromSeconds(90));
        return (code, p.StandardOutput, p.StandardError);
    }

    /// <summary>The last line the command printed to standard output ("" before the first).</summary>
    public string LastOutputLine
    {
        get
        {
            string output = StandardOutput.TrimEnd();
            return output[(output.LastIndexOf('\n') + 1)..];
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"arbbot did not exit within {timeout}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }

        _process.WaitForExit(); // flush the asynchronous output readers
        return _process.ExitCode;
    }

    public async Task<bool> WaitForErrorOutputAsync(string text, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            if (StandardError.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return StandardError.Contains(text, StringComparison.Ordinal);
    }

    /// <summary>Kills the engine with SIGKILL (kill -9): no wind-down, no cancels, nothing flushed.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt()
    {
        using Process kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }
    }
}
