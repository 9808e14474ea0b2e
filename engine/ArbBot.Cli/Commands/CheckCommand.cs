using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Scripting;
using ArbBot.Engine.Strategies.Compilation;

namespace ArbBot.Cli.Commands;

/// <summary>
/// <c>arbbot check strategies/*.csx</c>: compiles strategy files exactly as the engine would,
/// without running anything; prints errors as file:line:column and exits 1 if there are any.
/// What compiles goes into the compile cache of the config (<c>--config</c>, or arbbot.yaml here
/// when there is one), so <c>arbbot run</c> starts from it. <c>--json</c> prints one JSON object
/// per file checked, one per line; <c>--watch</c> checks again whenever a file or a <c>#load</c>ed
/// helper changes, until Ctrl+C.
/// </summary>
internal static class CheckCommand
{
    private static readonly TimeSpan s_quiet = TimeSpan.FromMilliseconds(100);

    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Strategy files (.csx)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "One JSON object per file checked, one per line: file, ok, version, ms, errors (file, line, column, id, message)" };
        var watch = new Option<bool>("--watch") { Description = "Check again whenever a file or one of its #load helpers changes, until Ctrl+C" };
        var config = new Option<FileInfo?>("--config", "-c") { Description = "Fill this config's compile cache (default: arbbot.yaml in this folder, when there is one)" };
        var command = new Command("check", "Compile strategy files without running the engine (for editors and pre-commit hooks)");
        command.Arguments.Add(files);
        command.Options.Add(json);
        command.Options.Add(watch);
        command.Options.Add(config);
        command.SetAction((parse, cancellationToken) => CheckAsync(parse.GetValue(files)!, parse.GetValue(json), parse.GetValue(watch), parse.GetValue(config), cancellationToken));
        return command;
    }

    private static async Task<int> CheckAsync(FileInfo[] files, bool json, bool watch, FileInfo? configFile, CancellationToken cancellationToken)
    {
        string? cache = CacheDirectory(configFile, out int exit);
        if (exit != ExitCodes.Ok)
        {
            return exit;
        }

        // Always a real compile; what it builds is written for `arbbot run` to start from.
        var compiler = new ScriptCompiler(cache, readCache: false);
        string[] paths = files.Select(f => f.FullName).ToArray();
        var closures = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

        // Watching starts before the first check: a save made while it compiles, or just after it
        // prints, is seen and checked again rather than lost.
        using FolderChanges? changes = watch ? new FolderChanges(paths) : null;
        int failed = CheckAll(compiler, paths, json, closures);
        if (changes is null)
        {
            if (failed > 0 && !json)
            {
                Console.Error.WriteLine($"{failed} of {files.Length} file(s) have errors");
            }

            return failed > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        }

        if (!json)
        {
            Console.Error.WriteLine($"watching {paths.Length} file(s) and their #load helpers; Ctrl+C to stop");
        }

        changes.Watch(closures.Values.SelectMany(c => c));
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlySet<string> changed;
            try
            {
                changed = await changes.NextAsync(s_quiet, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            string[] again = paths.Where(p => changed.Contains(p) || closures.GetValueOrDefault(p, []).Any(changed.Contains)).ToArray();
            if (again.Length > 0)
            {
                CheckAll(compiler, again, json, closures);
                changes.Watch(closures.Values.SelectMany(c => c)); // a new #load may live in another folder
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>The compile cache to fill: the given config's, else arbbot.yaml's here if it loads; null for none.</summary>
    private static string? CacheDirectory(FileInfo? configFile, out int exit)
    {
        exit = ExitCodes.Ok;
        FileInfo file = configFile ?? new FileInfo("arbbot.yaml");
        if (configFile is null && !file.Exists)
        {
            return null;
        }

        try
        {
            ArbBotConfig config = ConfigLoader.Load(file.FullName, readPairsFile: false);
            return Path.GetFullPath(config.Engine.CacheDirectory, config.BaseDirectory);
        }
        catch (ConfigException ex) when (configFile is null)
        {
            Console.Error.WriteLine($"note: not filling a compile cache: {ex.Message}");
            return null;
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine(ex.Message);
            exit = ExitCodes.BadConfig;
            return null;
        }
    }

    private static int CheckAll(ScriptCompiler compiler, IReadOnlyList<string> paths, bool json, Dictionary<string, IReadOnlyList<string>> closures)
    {
        int failed = 0;
        foreach (string path in paths)
        {
            ScriptCompilation result = compiler.Compile(path);
            if (result.Source.Files.Count > 0)
            {
                closures[path] = result.Source.Files.Select(f => f.Path).ToArray();
            }

            failed += result.Success ? 0 : 1;
            if (json)
            {
                WriteJson(path, result);
            }
            else if (result.Success)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: ok (version {result.Source.Version}, {result.Elapsed.TotalMilliseconds:0} ms)"));
            }
            else
            {
                foreach (ScriptDiagnostic error in result.Errors)
                {
                    Console.Error.WriteLine(error.ToString());
                }
            }
        }

        return failed;
    }

    private static void WriteJson(string path, ScriptCompilation result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("file", path);
            json.WriteBoolean("ok", result.Success);
            json.WriteString("version", result.Source.Version);
            json.WriteNumber("ms", Math.Round(result.Elapsed.TotalMilliseconds));
            json.WriteStartArray("errors");
            foreach (ScriptDiagnostic error in result.Errors)
            {
                json.WriteStartObject();
                json.WriteString("file", error.File);
                json.WriteNumber("line", error.Line);
                json.WriteNumber("column", error.Column);
                json.WriteString("id", error.Id);
                json.WriteString("message", error.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        Console.Out.Flush();
    }

    /// <summary>Changes to files in the folders of the files given, gathered until the folders have been quiet briefly.</summary>
    private sealed class FolderChanges : IDisposable
    {
        private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _signal = new(0);

        public FolderChanges(IEnumerable<string> files) => Watch(files);

        public void Watch(IEnumerable<string> files)
        {
            foreach (string folder in files.Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!).Distinct(StringComparer.Ordinal))
            {
                if (_watchers.ContainsKey(folder) || !Directory.Exists(folder))
                {
                    continue;
                }

                var watcher = new FileSystemWatcher(folder, "*.csx") { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime };
                watcher.Changed += (_, e) => Add(e.FullPath);
                watcher.Created += (_, e) => Add(e.FullPath);
                watcher.Renamed += (_, e) => Add(e.FullPath);
                watcher.EnableRaisingEvents = true;
                _watchers[folder] = watcher;
            }
        }

        /// <summary>The files changed since the last call, once no more changes came for <paramref name="quiet"/>.</summary>
        public async Task<IReadOnlySet<string>> NextAsync(TimeSpan quiet, CancellationToken cancellationToken)
        {
            await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            while (await _signal.WaitAsync(quiet, cancellationToken).ConfigureAwait(false))
            {
                // an editor saves in several writes: wait for them all
            }

            lock (_changed)
            {
                var changed = new HashSet<string>(_changed, StringComparer.Ordinal);
                _changed.Clear();
                return changed;
            }
        }

        public void Dispose()
        {
            foreach (FileSystemWatcher watcher in _watchers.Values)
            {
                watcher.Dispose();
            }

            _signal.Dispose();
        }

        private void Add(string path)
        {
            lock (_changed)
            {
                _changed.Add(Path.GetFullPath(path));
            }

            _signal.Release();
        }
    }
}
