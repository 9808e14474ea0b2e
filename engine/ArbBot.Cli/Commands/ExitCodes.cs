namespace ArbBot.Cli.Commands;

/// <summary>Exit codes of every subcommand.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadConfig = 2;
}
