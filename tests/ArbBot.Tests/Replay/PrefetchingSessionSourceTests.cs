using System.Text;
using ArbBot.Engine.Storage.Recording;

namespace ArbBot.Tests.Replay;

public sealed class PrefetchingSessionSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("arbrec-prefetch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Gives_every_record_of_the_file_in_order_with_its_own_bytes_across_many_batches()
    {
        // 20,000 records (several batches of 4,096), a few of them larger than a whole batch's buffer.
        string path = Path.Combine(_dir, "many.arbrec");
        var expected = new List<string>();
        using (var writer = new NativeRecordingWriter(path))
        {
            writer.Append(RecordKind.Venue, 0, 0, new RecordedVenue(0, "sim-a", "sim", null, true).ToJson(), 1);
            for (int i = 0; i < 20_000; i++)
            {
                string payload = i % 5_000 == 17 ? new string((char)('a' + (i % 26)), 1_500_000) : $"{{\"n\":{i}}}";
                writer.Append(RecordKind.Frame, 0, i % 3, Encoding.UTF8.GetBytes(payload), 10 + i);
                expected.Add($"{10 + i} {i % 3} {payload.Length} {payload[..Math.Min(20, payload.Length)]}");
            }
        }

        using var inner = new NativeRecordingReader(path);
        using var source = new PrefetchingSessionSource(inner);
        Assert.Equal(["sim-a"], source.Venues.Select(v => v.Name));
        var read = new List<string>();
        while (source.TryRead(out SessionRecord r))
        {
            string text = Encoding.UTF8.GetString(r.Payload.Span);
            read.Add($"{r.TimestampNs} {r.Stream} {text.Length} {text[..Math.Min(20, text.Length)]}");
        }

        Assert.Equal(expected, read);
        Assert.False(source.TryRead(out _));
        Assert.Equal(1.0, source.Progress);
        Assert.Null(source.Warning);
    }

    [Fact]
    public void A_file_cut_short_gives_the_whole_records_then_the_readers_warning()
    {
        string path = WriteNumberedFrames("cut.arbrec", 10_000);
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..^3]);
        using var inner = new NativeRecordingReader(path);
        using var source = new PrefetchingSessionSource(inner);
        int count = 0;
        while (source.TryRead(out SessionRecord r))
        {
            Assert.Equal($"{{\"n\":{count}}}", Encoding.UTF8.GetString(r.Payload.Span));
            count++;
        }

        Assert.Equal(9_999, count);
        Assert.Contains("cut.arbrec ends inside a record", source.Warning);
        Assert.Contains("read the 9,999 whole records before it", source.Warning);
    }

    [Fact]
    public void A_bad_record_throws_where_the_reading_reaches_it_not_before()
    {
        string path = WriteNumberedFrames("bad.arbrec", 6_000, writer =>
        {
            writer.Append(RecordKind.Venue, 1, 0, "{\"index\": 1}"u8, 7_000); // a venue without a name, after 6,000 frames
            writer.Append(RecordKind.Frame, 0, 0, "{\"n\":-1}"u8, 7_001);
        });

        using var inner = new NativeRecordingReader(path);
        using var source = new PrefetchingSessionSource(inner);
        int count = 0;
        var error = Assert.Throws<RecordingFormatException>(() =>
        {
            while (source.TryRead(out _))
            {
                count++;
            }
        });
        Assert.Equal(6_000, count);
        Assert.Contains("bad.arbrec byte", error.Message);
        Assert.Contains("bad venue record", error.Message);
    }

    [Fact]
    public async Task Disposing_before_the_end_stops_the_reader_thread()
    {
        string path = WriteNumberedFrames("long.arbrec", 50_000);

        using var inner = new NativeRecordingReader(path);
        var source = new PrefetchingSessionSource(inner);
        Assert.True(source.TryRead(out SessionRecord first));
        Assert.Equal("{\"n\":0}", Encoding.UTF8.GetString(first.Payload.Span));
        await Task.Run(source.Dispose).WaitAsync(TimeSpan.FromSeconds(10)); // throws TimeoutException if the reader thread does not stop
        Assert.True(inner.RecordsRead < 50_000, "the reader stopped early, not after reading the whole file");
    }

    /// <summary>A recording of one venue and <paramref name="frames"/> frames {"n":0}, {"n":1}, ..., then whatever <paramref name="more"/> appends.</summary>
    private string WriteNumberedFrames(string name, int frames, Action<NativeRecordingWriter>? more = null)
    {
        string path = Path.Combine(_dir, name);
        using var writer = new NativeRecordingWriter(path);
        writer.Append(RecordKind.Venue, 0, 0, new RecordedVenue(0, "sim-a", "sim", null, true).ToJson(), 1);
        for (int i = 0; i < frames; i++)
        {
            writer.Append(RecordKind.Frame, 0, 0, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"), 10 + i);
        }

        more?.Invoke(writer);
        return path;
    }
}
