using ArbBot.Engine.Scripting;
using ArbBot.Engine.Strategies.Compilation;

namespace ArbBot.Tests.Strategies;

/// <summary>The red-team strategies through the engine's own compiler: every attack is refused on its own line; the ones the engine must contain compile.</summary>
public sealed class RedTeamCompileTests
{
    private const int AttackLine = 7; // where ATTACK sits in the template
    private const int MembersLine = 3;

    public static TheoryData<string, string> RefusedAttacks()
    {
        var data = new TheoryData<string, string>();
        foreach (var attack in RedTeamStrategies.Refused)
        {
            data.Add(attack.Category, attack.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedAttacks))]
    public void Each_attack_is_refused_where_it_is_written(string category, string name)
    {
        var attack = RedTeamStrategies.Refused.Single(a => a.Category == category && a.Name == name);
        string file = Path.Combine(Path.GetTempPath(), "arbbot-tests", "redteam-" + Guid.NewGuid().ToString("N"), "attack.csx");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, RedTeamStrategies.Source(attack));

        ScriptCompilation result = new ScriptCompiler(null).Compile(file);

        Assert.False(result.Success, $"{category} / {name} compiled");
        int line = attack.Members.Length > 0 ? MembersLine : AttackLine; // a member that does the harm is refused where it is declared
        Assert.True(result.Errors.Any(e => e.Line == line), $"{category} / {name}: no error on line {line}: {string.Join("\n", result.Errors)}");
        Assert.True(result.Errors.Any(e => e.Id == "ARB001" || e.Id == "CS0227"), // CS0227: the compiler's own refusal of unsafe code
            $"{category} / {name}: refused, but not as a forbidden API: {string.Join("\n", result.Errors)}");
    }

    [Fact]
    public void The_attacks_the_engine_must_contain_compile_and_ordinary_code_is_still_allowed()
    {
        var compiler = new ScriptCompiler(null);
        string dir = Path.Combine(Path.GetTempPath(), "arbbot-tests", "redteam-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var ordinary = ("ordinary", "numbers, text, collections, tuples, records", """
            var seen = new Dictionary<string, List<(int Count, decimal Sum)>>(StringComparer.Ordinal);
            var text = new System.Text.StringBuilder().Append(Math.Max(1, 2)).Append(DateTime.UnixEpoch.Year).ToString();
            var best = new[] { 3, 1, 2 }.Where(x => x > 1).OrderBy(x => x).Select(x => (x, x * 2)).First();
            string shown = string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0:F2}", 1.5m) + best.Item2 + text;
            Span<int> few = new int[4]; few[0] = HashCode.Combine(1, 2);
            var pair = (A: 1, B: "x"); _ = pair.A + pair.B.Length + Helper(2) + new Point(1, 2).X + System.Numerics.BigInteger.One.Sign;
            """, """
            private sealed record Point(int X, int Y);
            private static int Helper(int x) => x * 2;
            """);
        foreach (var attack in RedTeamStrategies.Contained.Append(ordinary))
        {
            string file = Path.Combine(dir, attack.Item2.Replace(' ', '_') + ".csx");
            File.WriteAllText(file, RedTeamStrategies.Source(attack));
            ScriptCompilation result = compiler.Compile(file);
            Assert.True(result.Success, $"{attack.Item1} / {attack.Item2}: {string.Join("\n", result.Errors)}");
        }
    }
}
