namespace ArbBot.Engine.Storage.Recording;

/// <summary>Opens a recording in either accepted form: native (starts with "ARBREC") or JSON Lines.</summary>
public static class RecordingFile
{
    /// <summary>
    /// Opens <paramref name="path"/>. Throws <see cref="RecordingFormatException"/> naming the file (and
    /// line) when it cannot be read. With <paramref name="skipDamaged"/> a damaged record in the middle
    /// (a bad checksum, a line that does not parse) is skipped and reading goes on from the next good one.
    /// </summary>
    public static ISessionSource Open(string path, bool skipDamaged = false)
    {
        if (!File.Exists(path))
        {
            throw new RecordingFormatException($"{path}: no such file");
        }

        return NativeRecording.LooksNative(path) ? new NativeRecordingReader(path, skipDamaged) : new JsonLinesReader(path, skipDamaged);
    }

    /// <summary>Whether a path names the JSON Lines form (by its extension: .jsonl, .ndjson, .json).</summary>
    public static bool IsJsonLinesPath(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson" or ".json";
}
