using System.Text.Json.Serialization;

namespace ArbBot.Engine.Hosting.Status;

/// <summary>System.Text.Json's source-generated serializer for the status document: no reflection, no hand-built writer.</summary>
[JsonSerializable(typeof(StatusDocument))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
