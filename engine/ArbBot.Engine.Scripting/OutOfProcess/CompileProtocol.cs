using System.Text.Json;
using System.Text.Json.Serialization;
using ArbBot.Engine.Strategies.Compilation;

namespace ArbBot.Engine.Scripting.OutOfProcess;

/// <summary>
/// What the engine and its compile process (<c>arbbot compile-server</c>) say to each other: one JSON
/// object a line, a request on the server's standard input, its reply on standard output.
/// </summary>
internal static class CompileProtocol
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>Compile one strategy file (with its #load helpers), or, with <see cref="WarmUp"/>, ready the compiler.</summary>
internal sealed record CompileRequest(long Id, string? File, bool WarmUp = false);

/// <summary>The outcome of one request: the source as compiled, the image and symbols, or errors (the engine times the compile itself, round trip included).</summary>
internal sealed record CompileReply(
    long Id,
    string EntryFile,
    string Version,
    IReadOnlyList<CompiledFile> Files,
    byte[]? Image,
    byte[]? Symbols,
    IReadOnlyList<CompileError> Errors,
    bool FromCache)
{
    public static CompileReply From(long id, ScriptCompilation compilation) => new(
        id,
        compilation.Source.EntryFile,
        compilation.Source.Version,
        [.. compilation.Source.Files.Select(f => new CompiledFile(f.Path, f.Text))],
        compilation.Assembly,
        compilation.Symbols,
        [.. compilation.Errors.Select(e => new CompileError(e.File, e.Line, e.Column, e.Id, e.Message))],
        compilation.FromCache);
}

/// <summary>One file of a compiled source.</summary>
internal sealed record CompiledFile(string Path, string Text);

/// <summary>One compile error, as <see cref="ScriptDiagnostic"/> has it.</summary>
internal sealed record CompileError(string File, int Line, int Column, string Id, string Message);
