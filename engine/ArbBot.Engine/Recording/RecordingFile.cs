namespace ArbBot.Engine.Recording;

/// <summary>Opens a recording in either accepted form: native (starts with "ARBREC") or JSON Lines.</summary>
public static class RecordingFile
{
    /// <summary>Opens <paramref name="path"/>. Throws <see cref="RecordingFormatException"/> naming the file (and line) when it cannot be read.</summary>
    public static ISessionSource Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new RecordingFormatException($"{path}: no such file");
        }

        return NativeRecording.LooksNative(path) ? new NativeRecordingReader(path) : new JsonLinesReader(path);
    }

    /// <summary>Whether a path names the JSON Lines form (by its extension: .jsonl, .ndjson, .json).</summary>
    public static bool IsJsonLinesPath(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson" or ".json";
}
