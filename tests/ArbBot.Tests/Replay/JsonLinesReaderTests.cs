using System.Text;
using ArbBot.Engine.Storage.Recording;

namespace ArbBot.Tests.Replay;

public sealed class JsonLinesReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("jsonl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Lines_come_back_in_timestamp_order_keeping_file_order_for_equal_times_with_frames_verbatim()
    {
        string path = Lines(
            "# a comment",
            "{\"ts\": 2000, \"venue\": \"b\", \"frame\": {\"event_type\":\"book\", \"price\": \"0.50\"}}",
            "",
            "{\"ts\": 1000.5, \"venue\": \"a\", \"stream\": 3, \"mark\": \"connected\"}",
            "{\"ts\": 2000, \"venue\": \"a\", \"delta\": {\"market\": \"M\", \"outcome\": \"yes\", \"side\": \"bid\", \"price\": \"0.40\", \"size\": \"5\"}}");
        using var reader = new JsonLinesReader(path);
        var read = new List<string>();
        while (reader.TryRead(out SessionRecord r))
        {
            read.Add($"{reader.Where(r.Location)} {r.Kind} {r.TimestampNs} {reader.Venues[r.Venue].Name} {r.Stream} {Encoding.UTF8.GetString(r.Payload.Span)}");
        }

        Assert.Equal(
        [
            "t.jsonl:4 Mark 1000500000 a 3 connected",
            "t.jsonl:2 Frame 2000000000 b 0 {\"event_type\":\"book\", \"price\": \"0.50\"}",
            "t.jsonl:5 Event 2000000000 a 0 {\"delta\":{\"market\":\"M\",\"outcome\":\"yes\",\"side\":\"bid\",\"price\":\"0.40\",\"size\":\"5\"}}",
        ], read);
        Assert.True(reader.Venues.Single(v => v.Name == "b").Frames);
        Assert.False(reader.Venues.Single(v => v.Name == "a").Frames);
    }

    [Theory]
    [InlineData("{\"ts\": 1, \"venue\": \"a\", \"frame\": {", "t.jsonl:2: not JSON")]
    [InlineData("[1, 2]", "t.jsonl:2: each line is a JSON object")]
    [InlineData("{\"venue\": \"a\", \"book\": {}}", "t.jsonl:2: \"ts\" (Unix milliseconds, a number) is missing or not a number")]
    [InlineData("{\"ts\": \"soon\", \"venue\": \"a\", \"book\": {}}", "t.jsonl:2: \"ts\" (Unix milliseconds, a number) is missing or not a number")]
    [InlineData("{\"ts\": 1, \"book\": {}}", "t.jsonl:2: \"venue\" (the venue's name in the config) is missing")]
    [InlineData("{\"ts\": 1, \"venue\": \"a\", \"stream\": \"x\", \"frame\": {}}", "t.jsonl:2: \"stream\" must be an integer")]
    [InlineData("{\"ts\": 1, \"venue\": \"a\", \"quote\": {}}", "t.jsonl:2: a line needs one of")]
    public void A_bad_line_is_refused_with_its_file_and_line(string line, string expected)
    {
        string path = Lines("{\"ts\": 1, \"venue\": \"a\", \"mark\": \"connected\"}", line);
        RecordingFormatException error = Assert.Throws<RecordingFormatException>(() => new JsonLinesReader(path));
        Assert.StartsWith(expected, error.Message);
    }

    private string Lines(params string[] lines)
    {
        string path = Path.Combine(_dir, "t.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }
}
