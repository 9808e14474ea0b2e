using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Configuration;

/// <summary>The whole of arbbot.yaml, validated.</summary>
public sealed record ArbBotConfig(
    string SourcePath,
    EngineOptions Engine,
    IReadOnlyList<string> PluginSearchPaths,
    IReadOnlyList<VenueConfig> Venues,
    IReadOnlyList<PairConfig> Pairs,
    IReadOnlyList<StrategyConfig> Strategies,
    RiskLimits Risk,
    RedisOptions Redis)
{
    /// <summary>Folder of the config file; relative paths in it are relative to this.</summary>
    public string BaseDirectory => Path.GetDirectoryName(Path.GetFullPath(SourcePath)) ?? ".";
}

/// <summary>The <c>engine:</c> section.</summary>
/// <param name="Id">Engine id (distinguishes engines sharing one Redis).</param>
/// <param name="ChannelCapacity">Kernel queue capacity, in events.</param>
/// <param name="TimerInterval">How often the kernel's timer fires.</param>
/// <param name="SummaryInterval">How often the run summary refreshes.</param>
/// <param name="CacheDirectory">Where compiled strategies are cached (relative to the config file).</param>
public sealed record EngineOptions(string Id, int ChannelCapacity, TimeSpan TimerInterval, TimeSpan SummaryInterval, string CacheDirectory);

/// <summary>One entry of <c>venues:</c>.</summary>
/// <param name="Name">Venue name used everywhere else (pairs, Redis keys).</param>
/// <param name="Plugin">Plugin name or DLL path.</param>
/// <param name="Settings">Plugin settings as given.</param>
/// <param name="SettingLines">Line of each settings key, for error messages.</param>
/// <param name="Fees">The venue's fee model (from <c>fees:</c>; none if absent).</param>
/// <param name="Line">Line of the entry.</param>
public sealed record VenueConfig(
    string Name,
    string Plugin,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, long> SettingLines,
    Abstractions.Fees.IFeeModel Fees,
    long Line);

/// <summary>One entry of <c>pairs:</c>: the same contract on one or more venues.</summary>
/// <param name="EventId">Event id.</param>
/// <param name="Legs">One per venue.</param>
/// <param name="Line">Line of the entry.</param>
public sealed record PairConfig(string EventId, IReadOnlyList<PairLegConfig> Legs, long Line);

/// <summary>One venue's market for a pair.</summary>
/// <param name="Venue">Venue name.</param>
/// <param name="Market">The venue's market id.</param>
/// <param name="YesId">The venue's YES instrument id, where outcomes have their own.</param>
/// <param name="NoId">The venue's NO instrument id, where outcomes have their own.</param>
/// <param name="Line">Line of the leg.</param>
public sealed record PairLegConfig(string Venue, string Market, string? YesId, string? NoId, long Line);

/// <summary>One entry of <c>strategies:</c>.</summary>
/// <param name="Name">Strategy name.</param>
/// <param name="File">Path of the .csx file, relative to the config.</param>
/// <param name="Enabled">Whether it runs.</param>
/// <param name="Parameters">Its parameters as given.</param>
/// <param name="ParameterLines">Line of each parameter, for error messages.</param>
/// <param name="TimeBudget">Longest one call may run before it is stopped and the strategy disabled.</param>
/// <param name="MaxErrors">Errors within <paramref name="ErrorWindow"/> that disable the strategy until its file changes.</param>
/// <param name="ErrorWindow">Window for <paramref name="MaxErrors"/>.</param>
/// <param name="Line">Line of the entry.</param>
public sealed record StrategyConfig(
    string Name,
    string File,
    bool Enabled,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, long> ParameterLines,
    TimeSpan TimeBudget,
    int MaxErrors,
    TimeSpan ErrorWindow,
    long Line);

/// <summary>The <c>risk:</c> section. Dollar limits are exact.</summary>
public sealed record RiskLimits(
    Money MaxOrderUsd,
    Money MaxEventExposureUsd,
    Money MaxTotalExposureUsd,
    Money MaxUnhedgedUsd,
    Money DailyLossUsd,
    TimeSpan MaxBookAge);

/// <summary>The <c>redis:</c> section. The password, if any, comes from the environment variable named by <paramref name="PasswordEnv"/>.</summary>
/// <param name="Enabled">Whether to mirror at all.</param>
/// <param name="Connection">StackExchange.Redis connection string (host:port, ssl=true, ... are passed through).</param>
/// <param name="Database">Database index.</param>
/// <param name="KeyPrefix">First part of every key.</param>
/// <param name="ExpirySeconds">Books of a venue that stops updating disappear after this long.</param>
/// <param name="PasswordEnv">Environment variable holding the password, if any.</param>
/// <param name="DepthLevels">Levels of depth mirrored per side; 0 mirrors top of book only.</param>
public sealed record RedisOptions(bool Enabled, string Connection, int Database, string KeyPrefix, int ExpirySeconds, string? PasswordEnv, int DepthLevels = 10);
