using System.Text;
using ArbBot.Engine.Storage.Recording;

namespace ArbBot.Tests.Replay;

public sealed class NativeRecordingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("arbrec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Records_read_back_as_written_in_order_with_the_venue_table_and_time_never_going_back()
    {
        string path = Write(frames: 3);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path)); // a recording holds the session's orders and fills: the owner's alone
        using var reader = new NativeRecordingReader(path);
        Assert.Equal(["sim-kalshi", "kalshi"], reader.Venues.Select(v => v.Name));
        Assert.Equal(Abstractions.Markets.BookStyle.BidsOnly, reader.Venues[1].BookStyle);
        Assert.True(reader.Venues[1].Frames);
        var read = new List<string>();
        while (reader.TryRead(out SessionRecord r))
        {
            read.Add($"{r.Kind} {r.TimestampNs} {r.Venue} {r.Stream} {Encoding.UTF8.GetString(r.Payload.Span)}");
        }

        Assert.Equal(
        [
            "Mark 1003 1 0 connected",
            "Frame 1004 1 0 {\"type\":\"orderbook_delta\",\"seq\":0}",
            "Frame 1005 1 0 {\"type\":\"orderbook_delta\",\"seq\":1}",
            "Frame 1005 1 0 {\"type\":\"orderbook_delta\",\"seq\":2}",
        ], read);
        Assert.Null(reader.Warning);
        Assert.Equal(1.0, reader.Progress);
    }

    [Fact]
    public void A_file_cut_anywhere_in_its_last_record_reads_every_record_before_it_and_says_where_it_ends()
    {
        string path = Write(frames: 3);
        byte[] whole = File.ReadAllBytes(path);
        int lastRecordLength = NativeRecording.RecordPrefixLength + NativeRecording.BodyFixedLength + "{\"type\":\"orderbook_delta\",\"seq\":2}".Length;
        int lastStart = whole.Length - lastRecordLength;
        for (int cut = lastStart + 1; cut < whole.Length; cut++)
        {
            string truncated = Path.Combine(_dir, $"cut-{cut}.arbrec");
            File.WriteAllBytes(truncated, whole[..cut]);
            using var reader = new NativeRecordingReader(truncated);
            int count = 0;
            while (reader.TryRead(out _))
            {
                count++;
            }

            Assert.Equal(3, count); // the mark and two whole frames
            Assert.Equal($"cut-{cut}.arbrec ends inside a record at byte {lastStart} of {cut} (a crash while recording, or a copy cut short): read the 3 whole records before it", reader.Warning);
        }
    }

    [Fact]
    public void A_record_whose_bytes_changed_ends_the_reading_there_with_a_warning()
    {
        string path = Write(frames: 3);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x20; // inside the last frame's payload
        File.WriteAllBytes(path, bytes);
        using var reader = new NativeRecordingReader(path);
        int count = 0;
        while (reader.TryRead(out _))
        {
            count++;
        }

        Assert.Equal(3, count);
        Assert.Contains("has a last record whose checksum does not match (a torn write)", reader.Warning);
        Assert.Null(reader.Lost); // a torn end loses nothing that follows
    }

    [Fact]
    public void A_damaged_record_in_the_middle_stops_the_reading_saying_what_was_lost_or_is_stepped_over_when_asked()
    {
        string path = Write(frames: 6);
        byte[] bytes = File.ReadAllBytes(path);
        string text = Encoding.UTF8.GetString(bytes);
        int third = text.IndexOf("\"seq\":2", StringComparison.Ordinal);
        bytes[third] ^= 0x20; // inside the third frame's payload: its checksum fails, three whole frames follow
        File.WriteAllBytes(path, bytes);

        using (var stopping = new NativeRecordingReader(path))
        {
            var seqs = new List<string>();
            while (stopping.TryRead(out SessionRecord record))
            {
                seqs.Add(Encoding.UTF8.GetString(record.Payload.Span));
            }

            Assert.Equal(3, seqs.Count); // the mark and the first two frames
            Assert.Contains("a record whose checksum does not match at byte", stopping.Lost);
            Assert.Contains("--skip-damaged", stopping.Lost);
        }

        using var skipping = new NativeRecordingReader(path, skipDamaged: true);
        var read = new List<string>();
        while (skipping.TryRead(out SessionRecord record))
        {
            read.Add(Encoding.UTF8.GetString(record.Payload.Span));
        }

        Assert.Null(skipping.Lost);
        Assert.Equal(["connected", "{\"type\":\"orderbook_delta\",\"seq\":0}", "{\"type\":\"orderbook_delta\",\"seq\":1}",
            "{\"type\":\"orderbook_delta\",\"seq\":3}", "{\"type\":\"orderbook_delta\",\"seq\":4}", "{\"type\":\"orderbook_delta\",\"seq\":5}"], read);
        Assert.Contains("1 damaged stretches skipped", skipping.Warning);
    }

    [Fact]
    public void Files_that_are_not_recordings_are_refused_by_name()
    {
        string text = Path.Combine(_dir, "notes.arbrec");
        File.WriteAllText(text, "hello world, not a recording");
        Assert.Contains("notes.arbrec: not an ArbBot recording", Assert.Throws<RecordingFormatException>(() => new NativeRecordingReader(text)).Message);

        string newer = Path.Combine(_dir, "newer.arbrec");
        File.WriteAllBytes(newer, [.. "ARBREC"u8, 2, 0]);
        Assert.Contains("newer.arbrec: recording format version 2; this build reads version 1", Assert.Throws<RecordingFormatException>(() => new NativeRecordingReader(newer)).Message);
    }

    [Fact]
    public void The_checksum_is_the_standard_CRC_32C_in_hardware_and_software_alike()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8)); // the check value of CRC-32C
        Assert.Equal(0xE3069283u, Crc32C.ComputeInSoftware("123456789"u8));
        byte[] data = new byte[1003];
        new Random(7).NextBytes(data);
        for (int length = 0; length < data.Length; length += 37)
        {
            Assert.Equal(Crc32C.ComputeInSoftware(data.AsSpan(0, length)), Crc32C.Compute(data.AsSpan(0, length)));
        }
    }

    private string Write(int frames)
    {
        string path = Path.Combine(_dir, "session.arbrec");
        using var writer = new NativeRecordingWriter(path);
        writer.Append(RecordKind.Venue, 0, 0, new RecordedVenue(0, "sim-kalshi", "sim", null, false).ToJson(), 1000);
        writer.Append(RecordKind.Venue, 1, 0, new RecordedVenue(1, "kalshi", "kalshi", Abstractions.Markets.BookStyle.BidsOnly, true).ToJson(), 1001);
        writer.Append(RecordKind.Mark, 1, 0, "connected"u8, 1003);
        for (int i = 0; i < frames; i++)
        {
            // The last frame was received before the one ahead of it but written after: it takes that one's time.
            long received = i == frames - 1 ? 1003 + i - 1 : 1004 + i;
            writer.Append(RecordKind.Frame, 1, 0, Encoding.UTF8.GetBytes($"{{\"type\":\"orderbook_delta\",\"seq\":{i}}}"), received);
        }

        return path;
    }
}
