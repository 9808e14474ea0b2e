using System.CommandLine;
using ArbBot.Engine.Storage.Recording;

namespace ArbBot.Cli.Commands;

/// <summary><c>arbbot convert IN OUT</c>: a native recording to JSON Lines or back (the output's extension decides).</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var command = new Command("convert", "Convert a recording between the native form and JSON Lines (an output ending in .jsonl is JSON Lines, anything else native)");
        var input = new Argument<FileInfo>("input") { Description = "A native recording or a JSON Lines file" };
        var output = new Argument<FileInfo>("output") { Description = "The file to write" };
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        command.SetAction(parse => Convert(parse.GetValue(input)!, parse.GetValue(output)!));
        return command;
    }

    private static int Convert(FileInfo input, FileInfo output)
    {
        if (string.Equals(input.FullName, output.FullName, StringComparison.Ordinal))
        {
            Console.Error.WriteLine("convert: the output must be another file than the input");
            return ExitCodes.BadConfig;
        }

        try
        {
            using ISessionSource source = RecordingFile.Open(input.FullName);
            long written;
            if (RecordingFile.IsJsonLinesPath(output.FullName))
            {
                using var writer = new JsonLinesWriter(output.FullName);
                while (source.TryRead(out SessionRecord record))
                {
                    writer.Write(record, VenueName(source, record), source.Where(record.Location));
                }

                written = writer.Lines;
            }
            else
            {
                using var writer = new NativeRecordingWriter(output.FullName);
                bool declared = false;
                while (source.TryRead(out SessionRecord record))
                {
                    if (!declared)
                    {
                        // JSON Lines lists venues as it meets them; the whole table is known once the file is read.
                        foreach (RecordedVenue venue in source.Venues)
                        {
                            writer.Append(RecordKind.Venue, venue.Index, 0, venue.ToJson(), record.TimestampNs);
                        }

                        declared = true;
                    }

                    writer.Append(record.Kind, record.Venue, record.Stream, record.Payload.Span, record.TimestampNs);
                }

                written = writer.Records;
            }

            if (source.Warning is { } warning)
            {
                Console.Error.WriteLine("warning: " + warning);
            }

            Console.Out.WriteLine($"wrote {written:N0} records to {output.FullName}");
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is RecordingFormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.BadConfig;
        }
    }

    private static string VenueName(ISessionSource source, SessionRecord record) =>
        source.Venues.FirstOrDefault(v => v.Index == record.Venue)?.Name
        ?? throw new RecordingFormatException($"{source.Where(record.Location)}: venue {record.Venue} is not in the recording's venue table");
}
