using System.Text.Json.Serialization;

namespace ArbBot.Engine.Replay.Report;

/// <summary>System.Text.Json's source-generated serializer for the replay report: no reflection, no hand-built writer.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ReplayReportDocument))]
internal sealed partial class ReplayReportJsonContext : JsonSerializerContext;
