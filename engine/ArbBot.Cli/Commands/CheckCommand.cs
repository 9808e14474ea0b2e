using System.CommandLine;
using System.Globalization;
using ArbBot.Engine.Scripting;
using ArbBot.Engine.Strategies.Compilation;

namespace ArbBot.Cli.Commands;

/// <summary>
/// <c>arbbot check strategies/*.csx</c>: compiles strategy files exactly as the engine would,
/// without running anything; prints errors as file:line:column and exits 1 if there are any.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Strategy files (.csx)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("check", "Compile strategy files without running the engine (for editors and pre-commit hooks)");
        command.Arguments.Add(files);
        command.SetAction(parse => Check(parse.GetValue(files)!));
        return command;
    }

    private static int Check(FileInfo[] files)
    {
        // No cache: a check must really compile, and must not leave files behind.
        var compiler = new ScriptCompiler(cacheDirectory: null);
        int failed = 0;
        foreach (FileInfo file in files)
        {
            ScriptCompilation result = compiler.Compile(file.FullName);
            if (result.Success)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.FullName}: ok (version {result.Source.Version}, {result.Elapsed.TotalMilliseconds:0} ms)"));
                continue;
            }

            failed++;
            foreach (ScriptDiagnostic error in result.Errors)
            {
                Console.Error.WriteLine(error.ToString());
            }
        }

        if (failed > 0)
        {
            Console.Error.WriteLine($"{failed} of {files.Length} file(s) have errors");
            return ExitCodes.Failed;
        }

        return ExitCodes.Ok;
    }
}
