using System.Text.Json;

namespace ArbBot.Bench;

/// <summary>How every benchmark writes its figures: indented JSON, one options instance.</summary>
internal static class BenchJson
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
