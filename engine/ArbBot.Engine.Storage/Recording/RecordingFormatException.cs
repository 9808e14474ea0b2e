namespace ArbBot.Engine.Storage.Recording;

/// <summary>A recording that cannot be read; the message names the file and the place.</summary>
public sealed class RecordingFormatException(string message) : Exception(message);
