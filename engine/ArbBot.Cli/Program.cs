using System.CommandLine;
using System.Runtime.InteropServices;
using ArbBot.Cli.Commands;

namespace ArbBot.Cli;

/// <summary>Entry point of the <c>arbbot</c> command.</summary>
public static class Program
{
    /// <summary>How long any regular expression in the process may try one match before it gives up (a process-wide default; read once, before the first regex).</summary>
    public static readonly TimeSpan RegexMatchTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Parses the command line and runs the chosen subcommand.</summary>
    public static async Task<int> Main(string[] args)
    {
        // Venue titles, recordings and configs are other people's text: a pattern that backtracks
        // catastrophically on one must throw, not hang a thread (strategies may not use regexes at all).
        AppDomain.CurrentDomain.SetData("REGEX_DEFAULT_MATCH_TIMEOUT", RegexMatchTimeout);
        var root = new RootCommand("ArbBot: arbitrage engine for binary prediction markets (Kalshi, Polymarket, simulated venues).");
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(PluginsCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(StrategiesCommand.Create());
        root.Subcommands.Add(KillCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(PositionsCommand.Create());
        root.Subcommands.Add(MarketsCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(DashboardCommand.Create());
        root.Subcommands.Add(TopCommand.Create());
        root.Subcommands.Add(RunCommand.CreateRecord());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(CompileServerCommand.Create());

        // Ctrl+C or SIGTERM asks the running command to stop; it then shuts down in order and
        // prints its summary. A second Ctrl+C ends the process at once.
        using var shutdown = new CancellationTokenSource();
        Action<PosixSignalContext> onSignal = context =>
        {
            if (!shutdown.IsCancellationRequested)
            {
                context.Cancel = true;
                shutdown.Cancel();
            }
        };
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal);

        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return await root.Parse(args).InvokeAsync(invocation, shutdown.Token).ConfigureAwait(false);
    }
}
