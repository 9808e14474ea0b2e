using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArbBot.Abstractions.Strategies;

namespace ArbBot.Engine.Scripting;

/// <summary>
/// Writes what an editor's C# language server (OmniSharp, as VS Code's C# extension runs it for
/// <c>.csx</c> files) needs to read strategies as the engine does: the contract assembly as a
/// reference and the engine's implicit usings, in a response file OmniSharp's script support
/// reads, so completion, errors and <c>#load</c> work in the editor.
/// </summary>
public static class EditorSetup
{
    /// <summary>Where the response file goes, relative to the folder opened in the editor.</summary>
    public const string ResponseFile = ".arbbot/editor/strategies.rsp";

    /// <summary>The VS Code setting that runs OmniSharp, the language server with <c>.csx</c> support.</summary>
    public const string UseOmniSharpSetting = "dotnet.server.useOmnisharp";

    private static readonly UTF8Encoding s_utf8WithoutBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly JsonDocumentOptions s_readOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly JsonSerializerOptions s_writeOptions = new() { WriteIndented = true };

    /// <summary>
    /// Writes or updates the editor files under <paramref name="workspace"/> (the folder opened in
    /// the editor) and returns one line per file saying what was done. Settings of the user's in
    /// <c>omnisharp.json</c> and <c>.vscode/settings.json</c> are kept; a settings file with
    /// comments is left alone (rewriting it would drop them) and the line says what to add.
    /// </summary>
    public static IReadOnlyList<string> Write(string workspace)
    {
        string root = Path.GetFullPath(workspace);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"{root}: no such folder");
        }

        var said = new List<string>();
        string responseFile = Path.Combine(root, ResponseFile);
        Directory.CreateDirectory(Path.GetDirectoryName(responseFile)!);
        File.WriteAllText(responseFile, ResponseFileText(typeof(IStrategy).Assembly.Location), s_utf8WithoutBom);
        said.Add($"{responseFile}: the contract assembly and the engine's implicit usings");

        said.Add(Merge(Path.Combine(root, "omnisharp.json"), json =>
        {
            JsonObject script = json["script"] as JsonObject ?? [];
            script["enabled"] = true;
            script["defaultTargetFramework"] = $"net{Environment.Version.Major}.0";
            script["enableScriptNuGetReferences"] = false;
            script["rspFilePath"] = ResponseFile;
            json["script"] = script;
        }, "script support reading the response file"));

        said.Add(Merge(Path.Combine(root, ".vscode", "settings.json"), json => json[UseOmniSharpSetting] = true, $"\"{UseOmniSharpSetting}\": true"));
        return said;
    }

    /// <summary>The response file: one <c>/r:</c> for the contract, one <c>/u:</c> per implicit namespace.</summary>
    public static string ResponseFileText(string contractAssembly)
    {
        var text = new StringBuilder();
        text.Append("# Written by `arbbot strategies init-editor`: what the engine gives every strategy.\n");
        text.Append("/r:\"").Append(contractAssembly).Append("\"\n");
        foreach (string name in ScriptCompiler.ImplicitNamespaces)
        {
            text.Append("/u:").Append(name).Append('\n');
        }

        return text.ToString();
    }

    private static string Merge(string path, Action<JsonObject> change, string what)
    {
        JsonObject json = [];
        if (File.Exists(path))
        {
            string existing = File.ReadAllText(path);
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(existing, documentOptions: s_readOptions);
            }
            catch (JsonException ex)
            {
                return $"{path}: not changed, it is not valid JSON ({ex.Message}); add {what} yourself";
            }

            if (parsed is not JsonObject existingObject)
            {
                return $"{path}: not changed, it does not hold a JSON object; add {what} yourself";
            }

            if (HasComments(existing))
            {
                return $"{path}: not changed, rewriting it would drop its comments; add {what} yourself";
            }

            json = existingObject;
        }

        change(json);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json.ToJsonString(s_writeOptions) + "\n", s_utf8WithoutBom);
        return $"{path}: {what}";
    }

    private static bool HasComments(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Allow, AllowTrailingCommas = true });
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.Comment)
            {
                return true;
            }
        }

        return false;
    }
}
