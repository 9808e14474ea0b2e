using System.Text;
using ArbBot.Venues.Toolkit.Parsing;

namespace ArbBot.Tests.Venues.Toolkit;

/// <summary>The fast-path scanner's vectorised passes agree with a byte-by-byte reading, and its tokens are JSON's.</summary>
public sealed class FrameScannerTests
{
    [Fact]
    public void Marking_quotes_agrees_with_a_byte_by_byte_pass_at_every_length_and_byte()
    {
        var random = new Random(5);
        byte[] alphabet = Encoding.ASCII.GetBytes("ab\" :{},0\\").Concat(new byte[] { 0x1F, 0x7F, 0xC3, 0x09 }).ToArray();
        for (int n = 0; n < 4_000; n++)
        {
            byte[] frame = new byte[random.Next(0, 200)];
            for (int i = 0; i < frame.Length; i++)
            {
                frame[i] = random.Next(6) == 0 ? alphabet[random.Next(alphabet.Length)] : (byte)random.Next(0x20, 0x7F);
            }

            var quotes = new ulong[FrameScanner.QuoteWords(frame.Length)];
            bool plain = FrameScanner.MarkQuotes(frame, quotes);
            bool expectedPlain = frame.All(b => b is >= 0x20 and <= 0x7E && b != (byte)'\\');
            Assert.Equal(expectedPlain, plain);
            Assert.Equal(expectedPlain, FrameScanner.IsPlain(frame));
            if (plain)
            {
                for (int i = 0; i < frame.Length; i++)
                {
                    Assert.Equal(frame[i] == (byte)'"', (quotes[i >> 6] & (1UL << (i & 63))) != 0);
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Strings_numbers_and_scalars_read_as_json_with_marks_or_without(bool marked)
    {
        byte[] frame = Encoding.ASCII.GetBytes("""{"a": "x y" , "n":-12,"big":1234567890123456789,"f":1.5e3,"t":true,"z":null,"lead":012}""");
        var quotes = new ulong[FrameScanner.QuoteWords(frame.Length)];
        Assert.True(FrameScanner.MarkQuotes(frame, quotes));
        FrameScanner scan = marked ? new FrameScanner(frame, quotes) : new FrameScanner(frame);
        Assert.True(scan.Expect((byte)'{'));
        Assert.True(scan.Key(out ReadOnlySpan<byte> key) && key.SequenceEqual("a"u8));
        Assert.True(scan.Text(out ReadOnlySpan<byte> text) && text.SequenceEqual("x y"u8));
        Assert.True(scan.Next(out bool more) && more);
        Assert.True(scan.Key(out _) && scan.WholeNumber(out long n) && n == -12);
        Assert.True(scan.Next(out _) && scan.Key(out _));
        Assert.False(scan.WholeNumber(out _)); // 19 digits: past what a long is sure to hold, left to the general decoder
        scan = new FrameScanner(frame, marked ? quotes : default, frame.AsSpan().IndexOf("\"f\""u8));
        Assert.True(scan.Key(out _) && scan.SkipScalar() && scan.Next(out _));
        Assert.True(scan.Key(out _) && scan.SkipScalar() && scan.Next(out _));
        Assert.True(scan.Key(out _) && scan.SkipScalar() && scan.Next(out _));
        Assert.True(scan.Key(out _));
        Assert.False(scan.SkipScalar()); // a leading zero is not JSON
        Assert.False(new FrameScanner(frame, marked ? quotes : default, frame.Length - 1).Text(out _));
    }
}
