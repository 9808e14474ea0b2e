namespace ArbBot.Engine.Storage.Recording;

/// <summary>A recording being read, record by record, in timestamp order.</summary>
public interface ISessionSource : IDisposable
{
    /// <summary>The file's name, for messages.</summary>
    string Name { get; }

    /// <summary>The venues the records refer to by index.</summary>
    IReadOnlyList<RecordedVenue> Venues { get; }

    /// <summary>How far through the file, 0 to 1 (for progress bars).</summary>
    double Progress { get; }

    /// <summary>Set when the file ended early (a recording cut short by a crash), or when damaged records were skipped: what and where.</summary>
    string? Warning { get; }

    /// <summary>
    /// Set when reading stopped at a damaged record with more of the file after it (not a torn end):
    /// what was not replayed. The replay then fails unless told to skip damaged records.
    /// </summary>
    string? Lost { get; }

    /// <summary>Reads the next record; false at the end.</summary>
    bool TryRead(out SessionRecord record);

    /// <summary>A location as people read it: "session.arbrec byte 1234" or "session.jsonl:17".</summary>
    string Where(long location);
}
