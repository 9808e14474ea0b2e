namespace ArbBot.Engine.Hosting.Observability;

/// <summary>Whether the engine's feeds are fresh, and if not, why (for <c>GET /health</c>).</summary>
public static class EngineHealth
{
    /// <summary>Healthy when every venue is connected with no stale book and the kill switch is off; otherwise the reasons.</summary>
    public static IReadOnlyList<string> Problems(EngineSummary? summary)
    {
        if (summary is null)
        {
            return ["starting: no summary yet"];
        }

        var problems = new List<string>();
        foreach (VenueSummary venue in summary.Venues)
        {
            if (venue.Status != "connected")
            {
                problems.Add($"venue {venue.Name} is {venue.Status}");
            }
            else if (venue.StaleBooks > 0)
            {
                problems.Add($"venue {venue.Name}: {venue.StaleBooks} of {venue.Books} books stale");
            }
        }

        if (summary.Execution is { Kill: not "off" } x)
        {
            problems.Add($"kill switch: {x.Kill}");
        }

        return problems;
    }
}
