using ArbBot.Abstractions.Plugins;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Plugins;

/// <summary>The engine's logger as a plugin sees it, with every line tagged with the venue name.</summary>
internal sealed class PluginLog : IPluginLog
{
    private readonly ILogger _logger;
    private readonly string _venue;

    public PluginLog(ILogger logger, string venue)
    {
        _logger = logger;
        _venue = venue;
    }

    public void Info(string message) => _logger.LogInformation("{Venue}: {Message}", _venue, message);

    public void Warn(string message) => _logger.LogWarning("{Venue}: {Message}", _venue, message);

    public void Error(string message, Exception? exception = null) => _logger.LogError(exception, "{Venue}: {Message}", _venue, message);
}
