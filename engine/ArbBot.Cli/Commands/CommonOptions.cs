using System.CommandLine;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Plugins;
using Microsoft.Extensions.Logging;
using NLog.Extensions.Logging;

namespace ArbBot.Cli.Commands;

/// <summary>Options and setup shared by subcommands.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo> Config() => new("--config", "-c")
    {
        Description = "Configuration file",
        DefaultValueFactory = _ => new FileInfo("arbbot.yaml"),
    };

    /// <summary>Loads the config, or prints its error (file:line: ...) and returns null: the caller exits with <see cref="ExitCodes.BadConfig"/>.</summary>
    public static ArbBotConfig? LoadOrReport(FileInfo configFile, bool readPairsFile = true)
    {
        try
        {
            return ConfigLoader.Load(configFile.FullName, readPairsFile);
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return null;
        }
    }

    /// <summary>
    /// A <c>--duration</c> value: zero when none was given (run until stopped), the duration, or
    /// null after printing why it is not one (the caller exits with <see cref="ExitCodes.BadConfig"/>).
    /// </summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        if (text is null)
        {
            return TimeSpan.Zero;
        }

        if (!DurationText.TryParse(text, out TimeSpan parsed) || parsed <= TimeSpan.Zero)
        {
            Console.Error.WriteLine($"--duration must be a positive duration such as 30s or 5m, was \"{text}\"");
            return null;
        }

        return parsed;
    }

    /// <summary>The bundled plugin folder beside the executable, then the config's search paths.</summary>
    public static PluginLoader Loader(ArbBotConfig? config)
    {
        var dirs = new List<string> { Path.Combine(AppContext.BaseDirectory, "plugins") };
        if (config is not null)
        {
            dirs.AddRange(config.PluginSearchPaths.Select(p => Path.GetFullPath(p, config.BaseDirectory)));
        }

        return new PluginLoader(dirs);
    }

    public static ILoggerFactory Logging()
    {
        string configPath = Path.Combine(AppContext.BaseDirectory, "nlog.config");
        return LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Information);
            builder.AddNLog(configPath);
        });
    }
}
