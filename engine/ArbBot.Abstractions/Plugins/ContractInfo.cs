namespace ArbBot.Abstractions.Plugins;

/// <summary>The version of this contract. Bumped on any breaking change; the plugin host refuses plugins built for another.</summary>
public static class ContractInfo
{
    /// <summary>Current contract version.</summary>
    public const int Version = 1;
}
