namespace ArbBot.Cli.Commands;

/// <summary>Exit codes of every subcommand.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadConfig = 2;

    /// <summary>The kernel thread got stuck: the watchdog engaged the kill switch and cancelled resting orders (a supervisor should restart; the engine starts halted).</summary>
    public const int KernelStuck = 3;
}
