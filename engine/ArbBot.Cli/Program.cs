using System.CommandLine;
using ArbBot.Cli.Commands;

namespace ArbBot.Cli;

/// <summary>Entry point of the <c>arbbot</c> command.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen subcommand.</summary>
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("ArbBot: arbitrage engine for binary prediction markets (Kalshi, Polymarket, simulated venues).");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(PluginsCommand.Create());
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
