using System.Text.Json;

namespace ArbBot.Engine.Scripting.OutOfProcess;

/// <summary>
/// The strategy compiler as a process of its own (<c>arbbot compile-server</c>): Roslyn's code, and
/// the memory it JIT-compiles into, stay out of the trading process. It answers requests one at a
/// time until its input ends, which it also does when the engine that started it dies.
/// </summary>
internal static class CompileServer
{
    public static int Run(TextReader input, TextWriter output, string? cacheDirectory)
    {
        var compiler = new ScriptCompiler(cacheDirectory);
        while (input.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            CompileRequest? request;
            try
            {
                request = JsonSerializer.Deserialize<CompileRequest>(line, CompileProtocol.Json);
            }
            catch (JsonException ex)
            {
                Console.Error.WriteLine($"compile-server: request is not JSON ({ex.Message}); stopping");
                return 2;
            }

            if (request is null || (request.File is null && !request.WarmUp))
            {
                Console.Error.WriteLine("compile-server: a request names no file; stopping");
                return 2;
            }

            CompileReply reply;
            if (request.WarmUp)
            {
                compiler.WarmUp();
                reply = new CompileReply(request.Id, "", "", [], null, null, [], false);
            }
            else
            {
                reply = CompileReply.From(request.Id, compiler.Compile(request.File!));
            }

            output.WriteLine(JsonSerializer.Serialize(reply, CompileProtocol.Json));
            output.Flush();
        }

        return 0;
    }
}
