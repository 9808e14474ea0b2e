namespace ArbBot.IntegrationTests.Support;

/// <summary>
/// In-process engine tests whose outcome rests on real time passing at about the expected pace
/// (book age, grace periods, resting timeouts, timers, strategy budgets, hot reload, plugin unload):
/// they run one at a time after the parallel classes, never beside a class that starts `arbbot`
/// processes (each of which compiles and JITs at full speed for a second or two). Their waits are
/// still conditions with generous limits; this keeps a busy moment from eating those limits.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveCollection
{
    public const string Name = "timing-sensitive, in process";
}
