using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ArbBot.Engine.Strategies.Compilation;

namespace ArbBot.Engine.Scripting.OutOfProcess;

/// <summary>
/// Compiles strategies in a long-lived process of its own (<see cref="CompileServer"/>), so the C#
/// compiler's code and the memory it JIT-compiles into never enter the trading process. The compile
/// cache is read here (no compiler needed), so a start with unchanged scripts starts no process at
/// all; the first compile starts it, later ones (hot reloads) find it warm. If the process fails,
/// that compile reports it as an error naming the strategy (its old version keeps running) and the
/// next compile starts a new process. Thread-safe: one compile at a time.
/// </summary>
public sealed class OutOfProcessCompiler : IStrategyCompiler, IDisposable
{
    private const int ErrorLinesKept = 5;

    private readonly ProcessStartInfo _start;
    private readonly CompileCache _cache;
    private readonly Lock _gate = new();
    private readonly Queue<string> _errorTail = new();
    private Process? _server;
    private long _nextId;
    private bool _disposed;

    /// <summary>
    /// A compiler that starts <paramref name="fileName"/> with <paramref name="arguments"/> (a command that runs
    /// <c>compile-server</c>) when it first needs to compile, and reads <paramref name="cacheDirectory"/> itself.
    /// </summary>
    public OutOfProcessCompiler(string fileName, IEnumerable<string> arguments, string? cacheDirectory)
    {
        _start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (string argument in arguments)
        {
            _start.ArgumentList.Add(argument);
        }

        // Quick JIT starts a compiler in about half the time of optimising every method first, whatever its parent runs
        // with. And the runtime's own promotion delay, not the engine's zero: with zero, the compiler spent 2.6 s of CPU
        // after its first compiles optimising its own code, on the cores the engine's threads need; with the delay, its
        // methods are optimised only as later compiles use them (a reload still takes tens of milliseconds). And no dynamic
        // PGO (on by default): after a run of reloads its profiled recompiles of Roslyn kept a core busy for seconds, and the
        // engine's wire-to-decision p50 beside it went from 2 us to 0.4-0.6 ms; without, reloads take as long (81-88 ms).
        _start.Environment["DOTNET_TC_QuickJit"] = "1";
        _start.Environment["DOTNET_TC_QuickJitForLoops"] = "1";
        _start.Environment["DOTNET_TC_CallCountingDelayMs"] = "100";
        _start.Environment["DOTNET_TieredPGO"] = "0";

        _cache = new CompileCache(cacheDirectory);
    }

    /// <inheritdoc/>
    public ScriptCompilation Compile(string file)
    {
        long start = Stopwatch.GetTimestamp();
        if (_cache.ReadOrFind(file, readCache: true, start, out ScriptSource source) is { } done)
        {
            return done; // a problem reading it, or the cache has it: no compile process needed
        }

        lock (_gate)
        {
            if (Ask(new CompileRequest(++_nextId, source.EntryFile), out CompileReply? reply, out string? failure))
            {
                var compiled = new CompiledSource(reply.EntryFile, [.. reply.Files.Select(f => (f.Path, f.Text))], reply.Version);
                IReadOnlyList<ScriptDiagnostic> errors = [.. reply.Errors.Select(e => new ScriptDiagnostic(e.File, e.Line, e.Column, e.Id, e.Message))];
                return new ScriptCompilation(compiled, reply.Image, reply.Symbols, errors, reply.FromCache, Stopwatch.GetElapsedTime(start));
            }

            return new ScriptCompilation(source, null, null, [new ScriptDiagnostic(source.EntryFile, 1, 1, "ARB030", failure)], false, Stopwatch.GetElapsedTime(start));
        }
    }

    /// <inheritdoc/>
    public void WarmUp()
    {
        lock (_gate)
        {
            _ = Ask(new CompileRequest(++_nextId, null, WarmUp: true), out _, out _); // a failure shows at the next compile
        }
    }

    /// <summary>Ends the compile process: its input closes and it exits (killed if it does not).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Stop(graceful: true);
        }
    }

    private bool Ask(CompileRequest request, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CompileReply? reply, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? failure)
    {
        reply = null;
        if (_disposed)
        {
            failure = "the engine is stopping; nothing is compiled";
            return false;
        }

        try
        {
            if (_server is { HasExited: true })
            {
                Stop(graceful: false); // ended since the last compile (killed, crashed): a new one takes this request
            }

            Process server = _server ??= StartServer();
            server.StandardInput.WriteLine(JsonSerializer.Serialize(request, CompileProtocol.Json));
            server.StandardInput.Flush();
            string? line = server.StandardOutput.ReadLine();
            if (line is null)
            {
                server.WaitForExit();
                failure = Failed($"it exited with code {server.ExitCode}");
                return false;
            }

            reply = JsonSerializer.Deserialize<CompileReply>(line, CompileProtocol.Json);
            if (reply is null || reply.Id != request.Id)
            {
                failure = Failed($"it answered request {reply?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"} to request {request.Id}");
                reply = null;
                return false;
            }

            failure = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or Win32Exception or JsonException or InvalidOperationException)
        {
            failure = Failed(ex.Message);
            return false;
        }
    }

    /// <summary>The process is of no more use: stopped; the next compile starts another.</summary>
    private string Failed(string why)
    {
        string tail;
        lock (_errorTail)
        {
            tail = _errorTail.Count == 0 ? "" : "; it said: " + string.Join(" | ", _errorTail);
        }

        Stop(graceful: false);
        return $"the strategy compiler process failed ({why}{tail}); not loaded, the next compile starts a new one";
    }

    private Process StartServer()
    {
        lock (_errorTail)
        {
            _errorTail.Clear();
        }

        var server = new Process { StartInfo = _start };
        server.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } text)
            {
                lock (_errorTail)
                {
                    _errorTail.Enqueue(text);
                    if (_errorTail.Count > ErrorLinesKept)
                    {
                        _errorTail.Dequeue();
                    }
                }
            }
        };
        server.Start();
        server.BeginErrorReadLine();
        return server;
    }

    private void Stop(bool graceful)
    {
        if (_server is not { } server)
        {
            return;
        }

        _server = null;
        try
        {
            if (graceful && !server.HasExited)
            {
                server.StandardInput.Close(); // the server's loop ends at the end of its input
                if (server.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    return;
                }
            }

            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or IOException)
        {
            // Already gone.
        }
        finally
        {
            server.Dispose();
        }
    }

    /// <summary>The source as the compile process read it: what the image was built from, whatever the files hold now.</summary>
    private sealed record CompiledSource(string EntryFile, IReadOnlyList<(string Path, string Text)> Files, string Version) : IStrategySource;
}
