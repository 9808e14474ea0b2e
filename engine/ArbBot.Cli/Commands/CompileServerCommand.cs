using System.CommandLine;
using System.Reflection;
using ArbBot.Engine.Scripting.OutOfProcess;
using ArbBot.Engine.Strategies.Compilation;

namespace ArbBot.Cli.Commands;

/// <summary>
/// <c>arbbot compile-server --cache DIR</c>: the strategy compiler as a process of its own, which
/// <c>arbbot run</c> starts and talks to over its standard input and output (not for people to run).
/// </summary>
internal static class CompileServerCommand
{
    public const string Name = "compile-server";

    public static Command Create()
    {
        var command = new Command(Name, "The strategy compiler's own process, started by `arbbot run` (not for direct use)") { Hidden = true };
        var cache = new Option<string?>("--cache") { Description = "The compile cache's directory" };
        command.Options.Add(cache);
        command.SetAction(parse => CompileServer.Run(Console.In, Console.Out, parse.GetValue(cache)));
        return command;
    }

    /// <summary>A compiler that runs this same <c>arbbot</c> as its compile process (through <c>dotnet</c> when started that way).</summary>
    public static IStrategyCompiler OutOfProcess(string cacheDirectory)
    {
        string process = Environment.ProcessPath ?? "dotnet";
        var arguments = new List<string>();
        if (string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.Ordinal))
        {
            arguments.Add(Assembly.GetEntryAssembly()!.Location); // dotnet arbbot.dll ...
        }

        arguments.AddRange([Name, "--cache", cacheDirectory]);
        return new OutOfProcessCompiler(process, arguments, cacheDirectory);
    }
}
