using System.CommandLine;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Plugins;
using Spectre.Console;

namespace ArbBot.Cli.Commands;

/// <summary><c>arbbot plugins list</c>: the plugins found, their versions, capabilities and settings.</summary>
internal static class PluginsCommand
{
    public static Command Create()
    {
        var command = new Command("plugins", "Inspect venue plugins");
        var list = new Command("list", "List the plugins found beside arbbot and in the config's plugins.search_paths");
        Option<FileInfo> config = CommonOptions.Config();
        var settings = new Option<bool>("--settings") { Description = "Also show every settings key each plugin accepts" };
        list.Options.Add(config);
        list.Options.Add(settings);
        list.SetAction(parse => List(parse.GetValue(config)!, parse.GetValue(settings)));
        command.Subcommands.Add(list);
        return command;
    }

    private static int List(FileInfo configFile, bool showSettings)
    {
        ArbBotConfig? config = null;
        if (configFile.Exists)
        {
            try
            {
                config = ConfigLoader.Load(configFile.FullName);
            }
            catch (ConfigException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.BadConfig;
            }
        }

        PluginLoader loader = CommonOptions.Loader(config);
        var paths = loader.Scan().ToList();
        if (config is not null)
        {
            foreach (VenueConfig venue in config.Venues)
            {
                if (loader.Resolve(venue.Plugin, config.BaseDirectory) is { } path && !paths.Contains(path))
                {
                    paths.Add(path);
                }
            }
        }

        var table = new Table().AddColumns("plugin", "version", "capabilities", "file");
        int failures = 0;
        foreach (string path in paths)
        {
            try
            {
                LoadedPlugin plugin = PluginLoader.Load(path);
                table.AddRow(Markup.Escape(plugin.Descriptor.Name), Markup.Escape(plugin.Descriptor.Version), plugin.Descriptor.Capabilities.ToString(), Markup.Escape(path));
                if (showSettings)
                {
                    foreach (var setting in plugin.Descriptor.Settings)
                    {
                        table.AddRow("", "", Markup.Escape($"{setting.Key} = {setting.DefaultValue ?? "(required)"}"), Markup.Escape(setting.Description));
                    }
                }

                plugin.Unload();
            }
            catch (PluginLoadException ex)
            {
                failures++;
                table.AddRow("[red]error[/]", "", "", Markup.Escape(ex.Message));
            }
        }

        if (paths.Count == 0)
        {
            Console.Error.WriteLine($"no plugins found in: {string.Join(", ", loader.SearchDirectories)}");
            return ExitCodes.Failed;
        }

        Terminal.Screen.Create().Write(table);
        return failures == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
