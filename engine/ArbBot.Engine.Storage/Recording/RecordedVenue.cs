using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Storage.Recording;

/// <summary>A venue as a recording names it.</summary>
/// <param name="Index">Its number in the recording's records.</param>
/// <param name="Name">The venue's name in the config it was recorded with.</param>
/// <param name="Plugin">The plugin that served it.</param>
/// <param name="BookStyle">How its books look (null when unknown, as in JSON Lines input).</param>
/// <param name="Frames">Whether it recorded raw frames (else decoded events).</param>
public sealed record RecordedVenue(int Index, string Name, string Plugin, BookStyle? BookStyle, bool Frames)
{
    /// <summary>The payload of its <see cref="RecordKind.Venue"/> record.</summary>
    public byte[] ToJson() => MarketEventJson.ToBytes(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("index", Index);
        json.WriteString("name", Name);
        json.WriteString("plugin", Plugin);
        if (BookStyle is { } style)
        {
            json.WriteString("book_style", style == Abstractions.Markets.BookStyle.BidsOnly ? "bids_only" : "two_sided");
        }

        json.WriteBoolean("frames", Frames);
        json.WriteEndObject();
    });
}
