using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Replay.Sweep;

/// <summary>One value for every axis of a sweep: the parameters one replay runs with.</summary>
/// <param name="Index">Its place in the grid (0..), the first axis changing slowest.</param>
/// <param name="Settings">Each axis with the value it takes here, in the axes' order.</param>
public sealed record SweepCombination(int Index, IReadOnlyList<(SweepAxis Axis, string Value)> Settings)
{
    /// <summary>How people read it: <c>dutch_book.min_edge_usd=0.05 dutch_book.max_contracts=100</c>.</summary>
    public string Label => string.Join(" ", Settings.Select(s => $"{s.Axis.Name}={s.Value}"));

    /// <summary>Every combination of the axes' values (the cartesian product), the first axis changing slowest.</summary>
    public static IReadOnlyList<SweepCombination> Grid(IReadOnlyList<SweepAxis> axes)
    {
        var combinations = new List<SweepCombination>();
        var settings = new (SweepAxis, string)[axes.Count];
        void Fill(int axis)
        {
            if (axis == axes.Count)
            {
                combinations.Add(new SweepCombination(combinations.Count, settings.ToArray()));
                return;
            }

            foreach (string value in axes[axis].Values)
            {
                settings[axis] = (axes[axis], value);
                Fill(axis + 1);
            }
        }

        Fill(0);
        return combinations;
    }

    /// <summary>The config with this combination's parameters set (each overriding what the config gives that strategy).</summary>
    public ArbBotConfig Apply(ArbBotConfig config)
    {
        var strategies = config.Strategies.ToList();
        foreach ((SweepAxis axis, string value) in Settings)
        {
            int i = strategies.FindIndex(s => s.Name == axis.Strategy);
            StrategyConfig s = strategies[i];
            var parameters = new Dictionary<string, string>(s.Parameters, StringComparer.Ordinal) { [axis.Parameter] = value };
            var lines = new Dictionary<string, long>(s.ParameterLines, StringComparer.Ordinal);
            lines.TryAdd(axis.Parameter, s.Line);
            strategies[i] = s with { Parameters = parameters, ParameterLines = lines };
        }

        return config with { Strategies = strategies };
    }
}
